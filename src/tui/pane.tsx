/** One box of the frame (layout.ts PaneBox): its lines, coloured by tone. */
import { Box, Text } from 'ink';
import type { Line } from './model.js';
import type { PaneBox } from './layout.js';

/** Colours per tone; none when `plain` (NO_COLOR, or a terminal without colour). */
export function LineText({ line, plain }: { line: Line; plain: boolean }) {
  if (plain || line.tone === 'plain') return <Text wrap="truncate">{line.text}</Text>;
  if (line.tone === 'mark')
    return (
      <Text wrap="truncate" color="cyan" bold>
        {line.text}
      </Text>
    );
  if (line.tone === 'alert')
    return (
      <Text wrap="truncate" color="red">
        {line.text}
      </Text>
    );
  if (line.tone === 'title')
    return (
      <Text wrap="truncate" bold>
        {line.text}
      </Text>
    );
  return (
    <Text wrap="truncate" dimColor>
      {line.text}
    </Text>
  );
}

export function PaneView({ box, plain }: { box: PaneBox; plain: boolean }) {
  return (
    <Box flexDirection="column" width={box.width} height={box.height} flexShrink={0}>
      {box.lines.map((l, i) => (
        <LineText key={i} line={l} plain={plain} />
      ))}
    </Box>
  );
}
