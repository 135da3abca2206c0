# The lesson's first example at full size: 100 threads, 50,000 loops each, and a print
# that does not wait for the threads (there is no join before it).
# Explore it with --set nthread=2 --set nloop=3; run it as it is with a random schedule.
# expect: sometimes counter != nloop * nthread
import threading
from threading import Thread, current_thread

counter, nthread, nloop = 0, 100, 50_000


def increment(n):
    global counter
    for _ in range(n):
        counter += 1


for _ in range(nthread):
    Thread(target=increment, args=(nloop,)).start()

print(f"{nloop:,} loops X {nthread:,} threads -> counter is {counter:,}")
