import { crc32, deflateSync } from 'node:zlib';
import { escapeHtml } from '../../common/escape-html';
import { requestHost, type Handler, type Route, type SimRequest } from '../http';
import type { EpaymentSimulation } from './epayment-simulation';

/**
 * The QR flow's `redirectUrl` (docs/vipps.md §7.1): Vipps answers a `QR` payment with an image
 * URL (`https://qr-image.vipps.no/v1?token=…`, SVG by default, PNG on request) or, for
 * `TEXT/TARGETURL`, the URL to put in a QR code of your own. The simulator serves the same URL
 * shapes. Its images are stand-ins with QR finder squares, not scannable codes (there is no QR
 * encoder here); the SVG names the landing page it stands for.
 */
const DEFAULT_PNG_SIZE = 1024;

/** The redirectUrl for a QR payment, from the create request's (already checked) `qrFormat`. */
export function qrRedirectUrl(req: SimRequest, token: string, landingUrl: string): string {
  const qr = (req.body as { qrFormat?: { format?: string; size?: number } | null }).qrFormat;
  if (qr?.format === 'TEXT/TARGETURL') return landingUrl;
  const base = `http://${requestHost(req)}/qr-image/v1?token=${encodeURIComponent(token)}`;
  return qr?.format === 'IMAGE/PNG' ? `${base}&format=png&size=${qr.size ?? DEFAULT_PNG_SIZE}` : `${base}&format=svg`;
}

export function qrImageRoutes(service: EpaymentSimulation): Route[] {
  const image: Handler = (req) => {
    const token = req.query.get('token');
    const payment = token ? service.store.getByToken(token) : undefined;
    if (!payment) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Unknown QR code.' };
    const landing = `http://${requestHost(req)}/landing?token=${encodeURIComponent(payment.token)}`;
    if (req.query.get('format') === 'png') {
      const size = Math.min(2000, Math.max(100, Number(req.query.get('size')) || DEFAULT_PNG_SIZE));
      return { status: 200, headers: { 'content-type': 'image/png' }, body: finderPng(size) };
    }
    return { status: 200, headers: { 'content-type': 'image/svg+xml' }, body: finderSvg(landing) };
  };
  return [{ method: 'GET', path: '/qr-image/v1', auth: 'none', api: 'epayment', handler: image }];
}

/** A 29-module square with the three finder patterns of a QR code, and the link it stands for. */
function finderSvg(link: string): string {
  const finder = (x: number, y: number) =>
    `<rect x="${x}" y="${y}" width="7" height="7"/><rect x="${x + 1}" y="${y + 1}" width="5" height="5" fill="#fff"/><rect x="${x + 2}" y="${y + 2}" width="3" height="3"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29" width="290" height="290"><title>${escapeHtml(link)}</title><rect width="29" height="29" fill="#fff"/>${finder(0, 0)}${finder(22, 0)}${finder(0, 22)}</svg>`;
}

/** A grayscale PNG of `size` pixels with the same three finder patterns. */
function finderPng(size: number): Buffer {
  const module = size / 29;
  const dark = (mx: number, my: number) =>
    [[0, 0], [22, 0], [0, 22]].some(([fx, fy]) => {
      const dx = mx - (fx as number);
      const dy = my - (fy as number);
      if (dx < 0 || dy < 0 || dx > 6 || dy > 6) return false;
      const ring = Math.min(dx, dy, 6 - dx, 6 - dy);
      return ring !== 1;
    });
  // One scanline per module row (29 in all), copied to each pixel row it covers: the cost stays
  // one pass over the image, not a finder test per pixel.
  const scanline = (my: number): Buffer => {
    const line = Buffer.alloc(size + 1, 0xff);
    line[0] = 0; // filter: none
    for (let x = 0; x < size; x++) if (dark(Math.floor(x / module), my)) line[1 + x] = 0;
    return line;
  };
  const rows = Buffer.alloc(size * (size + 1));
  let line = scanline(0);
  let lineRow = 0;
  for (let y = 0; y < size; y++) {
    const my = Math.floor(y / module);
    if (my !== lineRow) [line, lineRow] = [scanline(my), my];
    line.copy(rows, y * (size + 1));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit grayscale, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
