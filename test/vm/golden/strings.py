name = 'world'
n = 1234567
x = 3.14159
print(f'hello {name}!', f'{n:,}', f'{x:.2f}', f'{x:,.3f}', f'{n:d}', f'{name!r}', f'{{literal}}')
print(f'[{n:>12,}]', f'[{name:<8}]', f'[{name:^9}]', f'[{7:03d}]', f'[{-7:5}]', f'{0.5:.0f}', f'{2.5:.0f}', f'{1.5:.0f}')
print(f'{0.25:%}', f'{12345.678:,.1f}', f'{1e20:,}', f'{100:,}', f'{-1234567:,}')
print(repr('a'), repr("it's"), repr('say "hi"'), repr('both \' and "'), repr('tab\tnl\n'), repr(''))
print('ab' + 'cd', 'ab' * 3, 'x' in 'xyz', 'q' not in 'xyz', 'abc'[1], 'abc'[-1])
print(str(None), str(True), repr(None), repr([1, 'a', None, (1,), (), {}, {'k': [1, 2]}]))
print('a', 'b', 'c', sep='-', end='!\n')
print()
print('multi', 1, 2.0, None, True, [3], (4, 5), {6: 7})
