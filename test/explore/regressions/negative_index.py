import threading
l = [0, 0]
def a():
    l[-1] = 9
t = threading.Thread(target=a)
t.start()
x = l[1]
