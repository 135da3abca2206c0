# expect: sometimes hit == True
import threading
s = threading.Semaphore(2)
inside = 0
hit = False
pad = 0
def a():
    global inside
    for _ in range(200):
        x = pad
    with s:
        inside = 1
        inside = 0
def b():
    global hit
    for _ in range(200):
        y = pad
    with s:
        if inside == 1:
            hit = True
t1 = threading.Thread(target=a)
t2 = threading.Thread(target=b)
t1.start(); t2.start()
t1.join(); t2.join()
