import { childCpuTicks } from './controller-cpu';

describe("the bench reads the controller's child CPU from /proc/self/stat", () => {
  test('cutime + cstime (fields 16 and 17), also when the command name has spaces and parentheses', () => {
    // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
    const stat = '4242 (node (jest) x) S 1 4242 4242 0 -1 4194304 100 200 0 0 50 60 700 80 20 0 11 0 123 456';
    expect(childCpuTicks(stat)).toBe(780);
  });
});
