import threading
l = [1]
y = 0
def f(v):
    global y
    y = v
def g():
    l[0] = 2
T = threading.Thread(target=g)
T.start()
t = threading.Thread(target=f, args=l)
t.start()
