# Peterson's algorithm: two flags and a turn variable guard a critical section without a
# lock. The waiting loop spins, so only a stateful search can explore it completely.
# expect: always cs == 22
# expect: never deadlock
import threading

flag = [False, False]
turn = 0
cs = 0


def worker(i, amount):
    global turn, cs
    j = 1 - i
    for _ in range(2):
        flag[i] = True
        turn = j
        while flag[j] and turn == j:
            pass
        cs += amount
        flag[i] = False


t0 = threading.Thread(target=worker, args=(0, 1))
t1 = threading.Thread(target=worker, args=(1, 10))
t0.start()
t1.start()
t0.join()
t1.join()
