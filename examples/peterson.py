# Peterson's lock for two threads (Peterson, "Myths about the mutual exclusion problem", 1981).
# Each worker enters critical() twice; count counts the entries.
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
    for _ in range(2):
        flag[i] = True
        turn = j
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
