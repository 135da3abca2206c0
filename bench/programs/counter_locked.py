# The lock-protected counter: T threads × N increments inside `with lock`. Mazurkiewicz
# traces: T=2, N=1,2,3 → 2, 6, 20; T=3, N=2 → 90.
# expect: always counter == T * N
import threading

lock = threading.Lock()
counter = 0
T, N = 2, 3


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
