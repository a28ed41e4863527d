import { describe, expect, it } from 'vitest';
import { escapeHtml, inlineAsset, jsonForScript } from '../../../../src/report/html/escape.js';

describe('escapeHtml', () => {
  it('escapes markup and both quote kinds', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });
  it('turns anything into text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(12.5)).toBe('12.5');
  });
});

describe('jsonForScript', () => {
  it('cannot close the script element or open a comment, and still parses to the same value', () => {
    const value = { message: '</script><script>alert(1)</script><!-- & \u2028' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('inlineAsset', () => {
  it('neutralises a closing tag inside inlined code', () => {
    expect(inlineAsset('a="</script>"', 'script')).toBe('a="<\\/script>"');
    expect(inlineAsset('/* </STYLE> */', 'style')).toBe('/* <\\/style> */');
  });
});
