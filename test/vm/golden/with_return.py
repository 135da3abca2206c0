import threading

lock = threading.Lock()


def risky(x):
    if x == 0:
        raise ValueError("zero")
    return 10 // x


def f(x):
    with lock:
        try:
            return risky(x)
        except ValueError:
            return -1


def h(x):
    try:
        with lock:
            return risky(x)
    except ValueError:
        return -2


print(h(5), h(0), lock.locked())
print(h(5), h(0), lock.locked())
