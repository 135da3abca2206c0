xs = [3, 1, 2]
xs.append(4)
print(xs, xs.pop(), xs, xs.pop(0), xs)
xs.extend([7, 8])
xs.insert(1, 9)
print(xs, xs.index(7), xs.count(9), sorted(xs), sorted(xs, reverse=True), xs)
xs.remove(9)
print(xs, list(range(3)), list(range(5, 0, -2)), tuple([1, 2]), list('ab'))
d = {'a': 1, 'b': 2}
d['c'] = 3
d['a'] += 10
del d['b']
print(d, d.get('a'), d.get('z'), d.get('z', 0), d.setdefault('e', 5), d.setdefault('a', 99), d)
print(list(d.keys()), list(d.values()), list(d.items()), 'a' in d, 'zz' in d, len(d))
for k in d:
    print(k, d[k], end=' ')
print()
for k, v in d.items():
    print(k, '=', v, end='; ')
print()
print([x * x for x in range(5)], [x for x in range(10) if x % 3 == 0], [c for c in 'hi'])
a, b = 1, 2
a, b = b, a
(c, d2), e = (3, 4), 5
print(a, b, c, d2, e)
for i, x in enumerate(['x', 'y']):
    print(i, x)
print({1: 'a', True: 'b', 1.0: 'c'}, {(1, 2): 'tuple key'}[(1, 2)], dict([('k', 1)]), dict(a=1))
t = (1, 2, 3)
print(t[0], t[-1], t + (4,), t * 2, 2 in t, t.index(3), t.count(1))
nested = [[0] * 2 for _ in range(2)]
nested[0][1] = 5
print(nested, [1, 2] + [3], [0] * 3, [] == [], [1, 2] == [1, 2], {'a': 1} == {'a': 1})
print(isinstance(1, int), isinstance('a', str), isinstance([], list), isinstance(1.5, float), isinstance(True, int))
