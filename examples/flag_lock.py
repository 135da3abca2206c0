# A "lock" made of a flag: wait until it is down, then raise it. Checking and setting are two
# steps, so both threads can see the flag down before either raises it.
import threading

busy = False
count = 0


def critical():
    global count
    count += 1


def worker():
    global busy
    while busy:
        pass
    busy = True
    critical()
    busy = False


t0 = threading.Thread(target=worker)
t1 = threading.Thread(target=worker)
t0.start()
t1.start()
t0.join()
t1.join()
