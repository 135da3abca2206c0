# Two threads take the same two locks in opposite orders: if each gets its first lock
# before the other gets its second, both wait forever. The sleep between the two
# acquires widens that window, so real threads (`interleave hw`) deadlock too; in the
# simulator a sleep is just a step, and the interleavings are the same without it.
# expect: sometimes deadlock
# expect: sometimes transfers == 2
import threading
import time
from threading import Thread

lock_a = threading.Lock()
lock_b = threading.Lock()
transfers = 0


def a_then_b():
    global transfers
    with lock_a:
        time.sleep(0.01)
        with lock_b:
            transfers += 1


def b_then_a():
    global transfers
    with lock_b:
        time.sleep(0.01)
        with lock_a:
            transfers += 1


t1 = Thread(target=a_then_b)
t2 = Thread(target=b_then_a)
t1.start()
t2.start()
t1.join()
t2.join()
