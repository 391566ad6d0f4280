//! The subscription link as a QR code: a PNG for the bot's `sendPhoto`, an SVG for the web
//! cabinet.
//!
//! `fast_qr` (without its image features) gives the module matrix; we write the PNG ourselves:
//! a 1-bit grayscale image in uncompressed ("stored") deflate blocks is ~20 KB for a typical
//! link, fine for Telegram, and spares the bundle an image and compression library.

use fast_qr::{QRBuilder, ECL};

/// Pixels per QR module (8: one byte of a 1-bit scanline) and the quiet zone in modules
/// (the QR spec asks for 4).
const SCALE: usize = 8;
const QUIET: usize = 4;

#[derive(Debug, thiserror::Error)]
#[error("cannot encode as a QR code: {0}")]
pub struct QrError(String);

/// An SVG image of `text` as a QR code (error correction M): one path of unit squares on a
/// white background, quiet zone included, scaled by the page. About 4 KB for a typical link.
pub fn svg(text: &str) -> Result<String, QrError> {
    use std::fmt::Write;
    let code = QRBuilder::new(text).ecl(ECL::M).build().map_err(|e| QrError(format!("{e:?}")))?;
    let modules = code.size;
    let side = modules + 2 * QUIET;
    let mut path = String::with_capacity(modules * modules * 4);
    for (i, color) in code.data[..modules * modules].iter().enumerate() {
        if color.value() {
            let _ = write!(path, "M{} {}h1v1h-1z", i % modules + QUIET, i / modules + QUIET);
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// A PNG image of `text` as a QR code (error correction M).
pub fn png(text: &str) -> Result<Vec<u8>, QrError> {
    let code = QRBuilder::new(text).ecl(ECL::M).build().map_err(|e| QrError(format!("{e:?}")))?;
    let modules = code.size;
    let colors = &code.data[..modules * modules];
    let side = (modules + 2 * QUIET) * SCALE;
    let row_bytes = side.div_ceil(8);

    // Scanlines: a filter byte (0 = none), then pixels MSB first; 1 = white, 0 = black.
    // A module is SCALE = 8 pixels wide, exactly one byte, so a scanline is one byte per
    // module, and the SCALE scanlines of a module row are identical: build each once.
    let mut raw = Vec::with_capacity(side * (row_bytes + 1));
    let blank: Vec<u8> = std::iter::once(0).chain(std::iter::repeat_n(0xFF, row_bytes)).collect();
    for _ in 0..QUIET * SCALE {
        raw.extend_from_slice(&blank);
    }
    for row in colors.chunks(modules) {
        let mut line = blank.clone();
        for (x, color) in row.iter().enumerate() {
            if color.value() {
                line[1 + QUIET + x] = 0x00;
            }
        }
        for _ in 0..SCALE {
            raw.extend_from_slice(&line);
        }
    }
    for _ in 0..QUIET * SCALE {
        raw.extend_from_slice(&blank);
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

/// CRC-32 (PNG chunks), table-driven; the table is built at compile time.
fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
                k += 1;
            }
            table[n] = c;
            n += 1;
        }
        table
    };
    !bytes.iter().fold(0xFFFF_FFFFu32, |crc, &b| TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8))
}

/// Adler-32 (the zlib trailer), reducing modulo 65521 once per 5552 bytes (zlib's NMAX).
fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in bytes.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= 65_521;
        b %= 65_521;
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
        let code = QRBuilder::new(link).ecl(ECL::M).build().unwrap();
        let width = code.size;
        let side = (width + 2 * QUIET) * SCALE;
        assert_eq!((info.width as usize, info.height as usize), (side, side));

        // Sample the centre of every module and compare with the matrix.
        let pixel = |x: usize, y: usize| pixels[y * info.line_size + x / 8] & (0x80 >> (x % 8)) != 0;
        for my in 0..width {
            for mx in 0..width {
                let (x, y) = ((mx + QUIET) * SCALE + SCALE / 2, (my + QUIET) * SCALE + SCALE / 2);
                let white = pixel(x, y);
                assert_eq!(white, !code.data[my * width + mx].value(), "module {mx},{my}");
            }
        }
        // The finder patterns sit where every QR reader looks for them: a dark 7x7 ring at the
        // top-left corner with a light ring inside.
        let module = |mx: usize, my: usize| !pixel((mx + QUIET) * SCALE + 1, (my + QUIET) * SCALE + 1);
        assert!((0..7).all(|i| module(i, 0) && module(0, i) && module(i, 6) && module(6, i)));
        assert!((1..6).all(|i| !module(i, 1) && !module(1, i)));
        assert!(module(3, 3));

        // And an independent decoder reads the link back from the pixels.
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| if pixel(x, y) { 255 } else { 0 });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].decode().unwrap().1, link);
        assert!(pixel(1, 1), "the quiet zone is white");
    }

    #[test]
    fn the_svg_draws_the_codes_modules_and_scans_back() {
        let link = "https://sub.example.com/x7Kp2mQa9LdR4tVz";
        let svg = svg(link).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        let code = QRBuilder::new(link).ecl(ECL::M).build().unwrap();
        let side = code.size + 2 * QUIET;
        assert!(svg.contains(&format!("viewBox=\"0 0 {side} {side}\"")));
        // Read the squares back from the path, draw them 4 pixels each, and decode.
        let path = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let mut dark = vec![false; side * side];
        for square in path.split('M').filter(|s| !s.is_empty()) {
            let xy = square.trim_end_matches("h1v1h-1z");
            let (x, y) = xy.split_once(' ').unwrap();
            dark[y.parse::<usize>().unwrap() * side + x.parse::<usize>().unwrap()] = true;
        }
        let drawn = dark.iter().filter(|d| **d).count();
        assert_eq!(drawn, code.data[..code.size * code.size].iter().filter(|m| m.value()).count());
        let px = 4;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(side * px, side * px, |x, y| {
            if dark[(y / px) * side + x / px] {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].decode().unwrap().1, link);
    }
}
