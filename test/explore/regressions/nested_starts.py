import threading
import random
lk = threading.Lock()
rl = threading.RLock()
sem = threading.BoundedSemaphore(1)
cv = threading.Condition()
ev = threading.Event()
a = [0, 0]
d = {}
x = 0
y = 0

def ready():
    return x > 0

def t0():
    global x, y, h1, r0, r1, r2, r3
    h1.start()
    x = x + 1

def t1():
    global x, y, h1, r0, r1, r2, r3
    sem.release()

def t2():
    global x, y, h1, r0, r1, r2, r3
    with sem:
        x = x + 1
        x = x - 1

def main():
    global x, y, h1, r0, r1, r2, r3
    h0 = threading.Thread(target=t0)
    h1 = threading.Thread(target=t1)
    h2 = threading.Thread(target=t2)
    h0.start()
    h2.start()
    sem.release()
    h0.join()
    h1.join()
    h2.join()

main()


