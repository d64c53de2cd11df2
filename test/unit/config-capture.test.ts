import { ConfigError, loadConfig } from '../../src/config/config';

/** CAPTURE_FINAL_MARGIN: the last capture-deadline warning, closer to the deadline than CAPTURE_MARGIN. */
describe('CAPTURE_FINAL_MARGIN', () => {
  it('defaults to 2 hours, or half of a CAPTURE_MARGIN shorter than 4 hours', () => {
    expect(loadConfig({}).capture).toEqual({ marginSeconds: 86_400, finalMarginSeconds: 7_200 });
    expect(loadConfig({ CAPTURE_MARGIN: '90s' }).capture).toEqual({ marginSeconds: 90, finalMarginSeconds: 45 });
  });

  it('reads a duration, and 0 turns the final warning off', () => {
    expect(loadConfig({ CAPTURE_FINAL_MARGIN: '3h' }).capture.finalMarginSeconds).toBe(10_800);
    expect(loadConfig({ CAPTURE_FINAL_MARGIN: '0' }).capture.finalMarginSeconds).toBe(0);
  });

  it('refuses a final margin not shorter than CAPTURE_MARGIN, in one plain line', () => {
    const load = () => loadConfig({ CAPTURE_MARGIN: '2h', CAPTURE_FINAL_MARGIN: '2h' });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      expect((error as ConfigError).lines).toEqual(['CAPTURE_FINAL_MARGIN: must be shorter than CAPTURE_MARGIN (7200 s): it is the last warning, closer to the deadline']);
    }
  });
});
