# expect: always counter == 12345
import threading
counter = 0
def spin():
    while True:
        pass
t = threading.Thread(target=spin)
t.start()
t.join()
