/**
 * The ink app: reads keys, hands them to the controller, and draws the frame of its state at
 * the terminal's size (following `resize`). Rendering only: the controller decides everything.
 */
import { Box, Text, useApp, useInput, useStdin, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { Controller } from './controller.js';
import { fromInk } from './keys.js';
import { buildFrame, tooSmall } from './layout.js';
import { LineText, PaneView } from './pane.js';

export interface AppProps {
  controller: Controller;
  /** Draw without colour (NO_COLOR). */
  plain: boolean;
  /** Called once the controller has quit, before the app exits. */
  onQuit?: () => void;
}

export function App({ controller, plain, onQuit }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const { isRawModeSupported } = useStdin();
  const [size, setSize] = useState({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [, setVersion] = useState(0);
  useEffect(() => {
    controller.onChange = () => setVersion((v) => v + 1);
    return () => {
      controller.onChange = () => undefined;
    };
  }, [controller]);
  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);
  useInput(
    (input, key) => {
      // A window too small shows no state: keys other than q and Ctrl-C would act unseen.
      const small = tooSmall(size.columns, size.rows);
      for (const k of fromInk(input, key)) {
        if (small && k.kind !== 'ctrl-c' && !(k.kind === 'char' && k.char === 'q')) continue;
        controller.press(k);
        if (controller.quit) break;
      }
      setVersion((v) => v + 1);
      if (controller.quit) {
        onQuit?.();
        exit();
      }
    },
    { isActive: isRawModeSupported },
  );
  const frame = buildFrame(controller, size.columns, size.rows);
  return (
    <Box flexDirection="column" width={frame.columns}>
      {frame.bands.map((b, i) =>
        b.kind === 'line' ? (
          <LineText key={i} line={b.line} plain={plain} />
        ) : (
          <Box key={i} flexDirection="row" height={b.height}>
            {b.boxes.map((x, j) => (
              <Box key={j} flexDirection="row">
                {j > 0 ? (
                  <Box flexDirection="column" width={1} flexShrink={0}>
                    {Array.from({ length: b.height }, (_, r) => (
                      <Text key={r}>│</Text>
                    ))}
                  </Box>
                ) : null}
                <PaneView box={x} plain={plain} />
              </Box>
            ))}
          </Box>
        ),
      )}
    </Box>
  );
}
