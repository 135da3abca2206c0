import threading
l = ['a', 'a']
def a():
    l[1] = 'b'
t = threading.Thread(target=a)
t.start()
x = ','.join(l)
