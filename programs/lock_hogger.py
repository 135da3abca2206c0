# A thread holds the lock while it sleeps; the main thread asks whether the lock is in use,
# then claims it and gives it back.
# expect: never deadlock
# expect: never exception RuntimeError
# expect: sometimes lock_seen_in_use == True
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


Thread(target=lock_hogger, args=(lock,)).start()

lock_seen_in_use = lock.locked()
print("Is lock currently being used?", lock_seen_in_use)

# Claim the lock
lock.acquire()
print("Lock acquired?", lock.locked())

# We are done now
lock.release()
print("Still being used?", lock.locked())
