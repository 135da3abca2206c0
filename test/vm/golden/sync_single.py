import threading
from threading import Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event, Thread, current_thread

lock = Lock()
print(lock.locked(), lock.acquire(), lock.locked(), lock.acquire(blocking=False), lock.acquire(timeout=0))
lock.release()
print(lock.locked())
try:
    lock.release()
except RuntimeError as e:
    print('RuntimeError:', e)
r = RLock()
with r:
    with r:
        print('reentered')
try:
    r.release()
except RuntimeError as e:
    print('RuntimeError:', e)
s = Semaphore(2)
print(s.acquire(), s.acquire(), s.acquire(blocking=False))
s.release()
s.release()
s.release()
b = BoundedSemaphore(1)
b.acquire()
b.release()
try:
    b.release()
except ValueError as e:
    print('ValueError:', e)
c = Condition()
try:
    c.notify()
except RuntimeError as e:
    print('RuntimeError:', e)
try:
    c.wait()
except RuntimeError as e:
    print('RuntimeError:', e)
with c:
    c.notify()
    c.notify_all()
    print('wait with timeout returns', c.wait(timeout=0))
ev = Event()
print(ev.is_set(), ev.wait(timeout=0))
ev.set()
print(ev.is_set(), ev.wait())
ev.clear()
print(ev.is_set())
print(current_thread().name)


def worker(x, y=0):
    print('worker', current_thread().name, x + y)


t = Thread(target=worker, args=(1,), kwargs={'y': 2})
print(t.name, t.is_alive())
t.start()
t.join()
print(t.is_alive())
try:
    t.start()
except RuntimeError as e:
    print('RuntimeError:', e)
try:
    Thread(target=worker).join()
except RuntimeError as e:
    print('RuntimeError:', e)
named = Thread(target=worker, args=(5,), name='custom')
named.start()
named.join()
print(named.name, threading.Thread(target=print).name)
