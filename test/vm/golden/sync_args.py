# Argument errors of threading methods, with CPython 3.11 messages (Lock/RLock in C, the
# rest in Python), and the unbinding of an `except ... as` name after its handler.
import threading
L = threading.Lock()
R = threading.RLock()
S = threading.Semaphore(0)
B = threading.BoundedSemaphore(1)
C = threading.Condition()
E = threading.Event()
try:
    print(repr(L.acquire(1, 2, 3)))
except Exception as e:
    print(repr(e))
try:
    print(repr(L.acquire(foo=1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(L.acquire(timeout=None)))
except Exception as e:
    print(repr(e))
try:
    print(repr(L.acquire(timeout=-5)))
except Exception as e:
    print(repr(e))
try:
    print(repr(L.acquire(timeout=-1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(L.acquire(False, 1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(L.release(1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(R.acquire(1, 2, 3)))
except Exception as e:
    print(repr(e))
try:
    print(repr(R.acquire(timeout=-5)))
except Exception as e:
    print(repr(e))
try:
    print(repr(R.acquire(False, 1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(R.locked()))
except Exception as e:
    print(repr(e))
try:
    print(repr(S.acquire(timeout=-1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(S.acquire(False, 1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Semaphore(1).acquire(timeout=None)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Semaphore(1).acquire(1,2,3)))
except Exception as e:
    print(repr(e))
try:
    print(repr(S.acquire(foo=1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(S.release(0)))
except Exception as e:
    print(repr(e))
try:
    print(repr(S.release(2)))
except Exception as e:
    print(repr(e))
try:
    print(repr(S.acquire(False)))
except Exception as e:
    print(repr(e))
try:
    print(repr(S.release(1, 2)))
except Exception as e:
    print(repr(e))
try:
    print(repr(B.release(1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(B.acquire()))
except Exception as e:
    print(repr(e))
try:
    print(repr(B.release(2)))
except Exception as e:
    print(repr(e))
try:
    print(repr(E.wait("x")))
except Exception as e:
    print(repr(e))
try:
    print(repr(E.wait(1, 2)))
except Exception as e:
    print(repr(e))
try:
    print(repr(E.set(1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(C.notify_all(1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(C.notify("x")))
except Exception as e:
    print(repr(e))
try:
    print(threading.Semaphore(1.5).acquire(False))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Semaphore(-1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Semaphore("x")))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Thread(print)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Thread(target=print, args=5)))
except Exception as e:
    print(repr(e))
try:
    print(repr(L.locked(1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(R.release(1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(R.release(x=1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(L.release(x=1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(L.acquire(timeout="x")))
except Exception as e:
    print(repr(e))
try:
    print(repr(L.acquire(timeout=1.5)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Thread(target=print).start(1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Thread(target=print).is_alive(1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Event().clear(1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Event().is_set(1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Event().wait(x=1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Condition().wait(1,2)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Condition().notify(1,2)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Condition().notify(m=2)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Thread(target=print).join(x=2)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Event().wait(-1)))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Semaphore(1).acquire(timeout="x")))
except Exception as e:
    print(repr(e))
try:
    print(repr(threading.Semaphore(0).acquire(timeout="x")))
except Exception as e:
    print(repr(e))

try:
    raise ValueError("z")
except ValueError as err:
    pass
try:
    print(err)
except NameError as e:
    print(repr(e))


def f():
    try:
        raise KeyError(1)
    except KeyError as k:
        print(repr(k))
    try:
        print(k)
    except UnboundLocalError as e:
        print(repr(e))


f()
