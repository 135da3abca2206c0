# The same mistake inside `with lock`: the lock is released on the way out of the block,
# even though the critical section raised.
# expect: never deadlock
# expect: sometimes exception TypeError
# expect: always still_locked == False
import threading
import time
from threading import Thread

lock = threading.Lock()


def fixed_lock_handler(lock, sleep=10):
    print("\t\tThread: Acquiring lock.")
    with lock:
        print("\t\tThread: Lock acquired")
        if sleep:
            time.sleep(sleep)
    print("\t\tThread: Woke up, releasing lock")


t = Thread(target=fixed_lock_handler, args=(lock, 'x'))  # The `sleep` param is incorrect, should be a number
t.start()
t.join()
still_locked = lock.locked()
lock.acquire()
lock.release()
