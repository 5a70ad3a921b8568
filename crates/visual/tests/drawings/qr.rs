//! QR codes are checked by decoding them again from the SVG that was produced.

use dream_visual::qr_code;

use crate::support::{assert_accessible, elements, parse};

const PROJECT_URL: &str = "https://dream.gov.ua/ua/project/DREAM-UA-110224-5D1E3B7C";

/// Paints the path's `M{x} {y}h{run}v1h-{run}z` rectangles into a bitmap of `size` modules.
fn modules(path: &str, size: usize) -> Vec<Vec<bool>> {
    let mut dark = vec![vec![false; size]; size];
    for rectangle in path.split('z').filter(|r| !r.is_empty()) {
        let (start, rest) = rectangle[1..].split_once('h').unwrap();
        let (x, y) = start.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let run: usize = rest.split_once('v').unwrap().0.parse().unwrap();
        dark[y][x..x + run].fill(true);
    }
    dark
}

/// The text a QR code drawn by `qr_code` decodes to, read from its SVG.
fn decoded(svg: &str) -> String {
    let document = parse(svg);
    let side: usize = document
        .root_element()
        .attribute("viewBox")
        .and_then(|view| view.rsplit(' ').next())
        .and_then(|side| side.parse().ok())
        .unwrap();
    let path = elements(&document, "path").next().unwrap();
    let bitmap = modules(path.attribute("d").unwrap(), side);
    let pixels_per_module = 4;
    let mut image = rqrr::PreparedImage::prepare_from_bitmap(
        side * pixels_per_module,
        side * pixels_per_module,
        |x, y| bitmap[y / pixels_per_module][x / pixels_per_module],
    );
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one code in {svg}");
    grids[0].decode().expect("the code decodes").1
}

#[test]
fn codes_of_many_addresses_and_lengths_decode_whichever_mask_each_got() {
    for n in 0..40 {
        let url = format!(
            "https://dream.gov.ua/{}projects/DREAM-UA-{n:06}-{:08X}",
            "en/".repeat(n % 5),
            n * 2_654_435_761_usize % 0xFFFF_FFFF
        );
        assert_eq!(decoded(&qr_code(&url, "QR").unwrap()), url);
    }
}

#[test]
fn the_qr_code_of_a_project_address_decodes_to_that_address() {
    let svg = qr_code(PROJECT_URL, "QR-код сторінки").unwrap();
    let document = parse(&svg);
    assert_accessible(&document, "QR-код сторінки");

    // 56 bytes at level M need version 4: 33 modules plus a quiet zone of 4 on each side.
    assert_eq!(
        document.root_element().attribute("viewBox"),
        Some("0 0 41 41")
    );
    let paths: Vec<_> = elements(&document, "path").collect();
    assert_eq!(paths.len(), 1, "all dark modules are one path");
    assert_eq!(decoded(&svg), PROJECT_URL);
}
