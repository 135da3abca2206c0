# The unsynchronized counter of the DPOR benchmarks: T threads × N increments, each `+=` a
# LOAD and a STORE, main joining. Mazurkiewicz traces: T=2, N=1,2,3 → 4, 34, 328; T=3,
# N=1,2 → 36, 7134.
# expect: sometimes counter == 2
from threading import Thread

counter = 0
T, N = 2, 3


def inc(n):
    global counter
    for _ in range(n):
        counter += 1


ts = [Thread(target=inc, args=(N,)) for _ in range(T)]
for t in ts:
    t.start()
for t in ts:
    t.join()
