# expect: outcomes x = {0, 1}
import threading
x = 0
def background():
    global x
    x = 1
t = threading.Thread(target=background, daemon=True)
t.start()
