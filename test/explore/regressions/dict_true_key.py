import threading
d = {1: 0}
def a():
    d[True] = 9
t = threading.Thread(target=a)
t.start()
x = d[1]
