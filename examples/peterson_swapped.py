# Peterson's lock with its two writes swapped: turn is given away before the flag is raised.
# The other thread can read the old flag, pass, and find turn already given to it: both enter.
import threading

flag = [False, False]
turn = 0
count = 0


def critical():
    global count
    count += 1


def worker(i):
    global turn
    j = 1 - i
    turn = j
    flag[i] = True
    while flag[j] and turn == j:
        pass
    critical()
    flag[i] = False


t0 = threading.Thread(target=worker, args=(0,))
t1 = threading.Thread(target=worker, args=(1,))
t0.start()
t1.start()
t0.join()
t1.join()
