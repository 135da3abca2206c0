# The main thread releases a lock that a worker holds for a moment: whoever releases
# second gets RuntimeError, and which one that is depends on the interleaving.
# expect: sometimes exception RuntimeError
# expect: never deadlock
import sys
import threading
from threading import Thread, current_thread
from time import sleep

lock = threading.Lock()


def lock_hogger(lock, wait=5):
    name = current_thread().name
    print(f"{name}: acquiring lock.")
    lock.acquire()
    print(f"{name}: Lock acquired, sleeping")
    sleep(wait)
    print(f"{name}: Woke up, releasing lock")
    lock.release()


t = Thread(target=lock_hogger, args=(lock, 0))
t.start()
sleep(0.1)
try:
    print("Releasing lock in MainThread...")
    lock.release()
except Exception as err:
    print(f"{repr(err)} in {current_thread().name}", file=sys.stderr)
