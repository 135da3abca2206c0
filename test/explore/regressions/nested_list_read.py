import threading
m = [0]
l = [m]
def a():
    m[0] = 5
t = threading.Thread(target=a)
t.start()
x = str(l)
