# The lock-protected counter of the hardware bench (`npm run bench`, issue 4): T threads × N
# increments, each inside `with lock`, no sleep (programs/counter_lock.py sleeps 1 ms per
# iteration, which would time the sleep), joined, then checked.
# Check it small: interleave check bench/programs/hw_lock_counter.py --set T=2 --set N=2
# expect: always counter == T * N
# expect: never race
# expect: never deadlock
# expect: never exception AssertionError
import threading

lock = threading.Lock()
counter = 0
T, N = 4, 100_000


def inc(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1


ts = [threading.Thread(target=inc, args=(N,)) for _ in range(T)]
for t in ts:
    t.start()
for t in ts:
    t.join()
assert counter == T * N, f"counter is {counter}, not {T * N}"
