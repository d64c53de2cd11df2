import { lineSplitter } from '../../../src/dev/lines';

describe('lineSplitter', () => {
  it('emits whole lines across chunk boundaries, CRLF included', () => {
    const lines: string[] = [];
    const splitter = lineSplitter((line) => lines.push(line));
    splitter.push('{"msg":"he');
    splitter.push('llo"}\nsecond\r\nthi');
    expect(lines).toEqual(['{"msg":"hello"}', 'second']);
    splitter.push(Buffer.from('rd\n'));
    expect(lines).toEqual(['{"msg":"hello"}', 'second', 'third']);
  });

  it('flush emits a last line without a newline, once', () => {
    const lines: string[] = [];
    const splitter = lineSplitter((line) => lines.push(line));
    splitter.push('partial');
    expect(lines).toEqual([]);
    splitter.flush();
    splitter.flush();
    expect(lines).toEqual(['partial']);
  });
});
