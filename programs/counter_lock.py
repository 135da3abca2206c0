# The lesson's fixed counter: every increment inside `with lock`, then join and check.
# At full size (10 threads × 1,000) it is for `run`; check it small:
#   interleave check programs/counter_lock.py --set NTHREADS=2 --set ITERATIONS=2
# expect: always COUNTER == NTHREADS * ITERATIONS
# expect: never race
# expect: never deadlock
# expect: never exception AssertionError
import threading
import time
from threading import Thread

COUNTER = 0
NTHREADS = 10


def increment(n, lock):
    global COUNTER
    for _ in range(n):
        with lock:
            COUNTER += 1
        time.sleep(0.001)


ITERATIONS = 1000
lock = threading.Lock()
threads = [Thread(target=increment, args=(ITERATIONS, lock)) for _ in range(NTHREADS)]
[t.start() for t in threads]
[t.join() for t in threads]
assert COUNTER == (len(threads) * ITERATIONS), f"Invalid value for counter: {COUNTER}"
