# lastzero(n), a benchmark from the DPOR literature (Abdulla et al., POPL 2014): thread 0
# scans the array backwards for its last zero while threads 1..n each set their cell from
# the cell before it.
# expect: never deadlock
import threading

n = 5
array = [0] * (n + 1)


def reader():
    i = n
    while array[i] != 0:
        i -= 1


def writer(j):
    array[j] = array[j - 1] + 1


def main():
    ts = [threading.Thread(target=reader)] + [threading.Thread(target=writer, args=(j,)) for j in range(1, n + 1)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


main()
