# The `sleep` argument is a string: the critical section raises TypeError while the lock is
# held, the thread dies, and the lock is never released. Trying to acquire it blocks forever.
# expect: sometimes deadlock
# expect: sometimes exception TypeError
import threading
import time
from threading import Thread

lock = threading.Lock()


def faulty_lock_handler(lock, sleep=10):
    print("\t\tThread: Acquiring lock.")
    lock.acquire()
    print("\t\tThread: Lock acquired")
    if sleep:
        time.sleep(sleep)
    print("\t\tThread: Woke up, releasing lock")
    lock.release()


t = Thread(target=faulty_lock_handler, args=(lock, 'x'))  # The `sleep` param is incorrect, should be a number
t.start()
lock.acquire()
lock.release()
