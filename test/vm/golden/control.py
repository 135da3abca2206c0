total = 0
i = 0
while i < 10:
    i += 1
    if i % 2 == 0:
        continue
    if i > 7:
        break
    total += i
print('while', total, i)
for n in range(3):
    for m in range(3):
        if m == 2:
            break
        print(n, m, end=' | ')
print()


def classify(n):
    if n < 0:
        return 'negative'
    elif n == 0:
        return 'zero'
    elif n < 10:
        return 'small'
    else:
        return 'large'


print([classify(n) for n in [-5, 0, 3, 42]])


def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


print(fact(10), fib(30))


def greet(name, greeting='hello', punct='!'):
    return f'{greeting}, {name}{punct}'


print(greet('ann'), greet('bob', 'hi'), greet('cy', punct='?'), greet(punct='.', name='di'))
counter = 0


def bump(by=1):
    global counter
    counter += by
    return counter


bump()
bump(5)
print('counter', counter)


def no_return():
    pass


print(no_return())
