//! The subscription link as a QR code PNG, for `sendPhoto`.
//!
//! `qrcode` (without its image features) gives the module matrix; we write the PNG ourselves:
//! a 1-bit grayscale image in uncompressed ("stored") deflate blocks is ~20 KB for a typical
//! link, fine for Telegram, and spares the bundle an image and compression library.

use qrcode::{Color, QrCode};

/// Pixels per QR module and the quiet zone in modules (the spec asks for 4).
const SCALE: usize = 8;
const QUIET: usize = 4;

#[derive(Debug, thiserror::Error)]
#[error("cannot encode as a QR code: {0}")]
pub struct QrError(String);

/// A PNG image of `text` as a QR code (error correction M).
pub fn png(text: &str) -> Result<Vec<u8>, QrError> {
    let code = QrCode::new(text.as_bytes()).map_err(|e| QrError(e.to_string()))?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let row_bytes = side.div_ceil(8);

    // Scanlines: a filter byte (0 = none), then pixels MSB first; 1 = white, 0 = black.
    let mut raw = Vec::with_capacity(side * (row_bytes + 1));
    for y in 0..side {
        raw.push(0);
        let my = (y / SCALE).checked_sub(QUIET).filter(|m| *m < modules);
        let mut row = vec![0xFFu8; row_bytes];
        if let Some(my) = my {
            for x in 0..side {
                let mx = (x / SCALE).checked_sub(QUIET).filter(|m| *m < modules);
                if mx.is_some_and(|mx| colors[my * modules + mx] == Color::Dark) {
                    row[x / 8] &= !(0x80 >> (x % 8));
                }
            }
        }
        raw.extend_from_slice(&row);
    }

    let side = u32::try_from(side).map_err(|_| QrError("image too large".into()))?;
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]); // bit depth 1, grayscale, deflate, no filter, no interlace

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of uncompressed deflate blocks (RFC 1950/1951).
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len())); // BFINAL on the last, BTYPE 00
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_values() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn the_png_decodes_and_draws_the_codes_modules() {
        let link = "https://sub.example.com/x7Kp2mQa9LdR4tVz";
        let bytes = png(link).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).unwrap();
        let code = QrCode::new(link.as_bytes()).unwrap();
        let side = (code.width() + 2 * QUIET) * SCALE;
        assert_eq!((info.width as usize, info.height as usize), (side, side));

        // Sample the centre of every module and compare with the matrix.
        let colors = code.to_colors();
        let pixel = |x: usize, y: usize| pixels[y * info.line_size + x / 8] & (0x80 >> (x % 8)) != 0;
        for my in 0..code.width() {
            for mx in 0..code.width() {
                let (x, y) = ((mx + QUIET) * SCALE + SCALE / 2, (my + QUIET) * SCALE + SCALE / 2);
                let white = pixel(x, y);
                assert_eq!(white, colors[my * code.width() + mx] == Color::Light, "module {mx},{my}");
            }
        }
        assert!(pixel(1, 1), "the quiet zone is white");
    }
}
