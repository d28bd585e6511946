import { describe, expect, it } from 'vitest';
import { adjustForContrast, contrastRatio, meetsAA, parseHex, readableTextOn, relativeLuminance } from './contrast';

describe('contrast', () => {
  it('parses hex colours', () => {
    expect(parseHex('#fff')).toEqual({ r: 255, g: 255, b: 255 });
    expect(parseHex('1D4ED8')).toEqual({ r: 29, g: 78, b: 216 });
    expect(parseHex('red')).toBeNull();
    expect(parseHex('#12345')).toBeNull();
  });
  it('computes WCAG relative luminance', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 5);
    expect(relativeLuminance('#808080')).toBeCloseTo(0.2159, 3);
  });
  it('computes contrast ratios', () => {
    expect(contrastRatio('#000', '#fff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#fff', '#fff')).toBe(1);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2); // the classic just-fails-AA grey
    expect(contrastRatio('#fff', '#000')).toBe(contrastRatio('#000', '#fff'));
  });
  it('checks AA for normal and large text', () => {
    expect(meetsAA('#777777', '#ffffff')).toBe(false);
    expect(meetsAA('#777777', '#ffffff', true)).toBe(true);
    expect(meetsAA('#595959', '#ffffff')).toBe(true);
  });
  it('picks a readable text colour', () => {
    expect(readableTextOn('#ffffff')).toBe('#111827');
    expect(readableTextOn('#ffd600')).toBe('#111827'); // yellow wants dark text
    expect(readableTextOn('#1d4ed8')).toBe('#ffffff');
    expect(readableTextOn('#000000')).toBe('#ffffff');
    for (const bg of ['#e30613', '#00a19a', '#7a1fa2', '#f59e0b', '#6b7280']) {
      expect(contrastRatio(readableTextOn(bg), bg)).toBeGreaterThanOrEqual(4.5);
    }
  });
  it('proposes a colour that reaches AA', () => {
    const fixed = adjustForContrast('#ffcc00', '#ffffff');
    expect(contrastRatio(fixed, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(adjustForContrast('#1d4ed8', '#ffffff')).toBe('#1d4ed8');
    const light = adjustForContrast('#333333', '#000000');
    expect(contrastRatio(light, '#000000')).toBeGreaterThanOrEqual(4.5);
  });
});
