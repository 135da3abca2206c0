# A lock built on a Semaphore(1): one permit, taken on entering and given back on leaving.
import threading

count = 0
permit = threading.Semaphore(1)


def critical():
    global count
    count += 1


def worker():
    for _ in range(2):
        permit.acquire()
        critical()
        permit.release()


t0 = threading.Thread(target=worker)
t1 = threading.Thread(target=worker)
t0.start()
t1.start()
t0.join()
t1.join()
