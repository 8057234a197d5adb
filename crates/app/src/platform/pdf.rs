//! Print-ready PDF tables, written page by page as the rows arrive.
//!
//! A ledger of 100,000 rows is some 2,500 pages: neither the rows nor the pages are ever all in memory. Each page's
//! content stream is compressed and written to the output as soon as the page is full; what waits for the end is
//! small and bounded by the page count (an offset and a reference per page) or by the font (the glyphs used). The
//! page footer "第 N 页 共 M 页" needs M, so each page gets a second, tiny content stream for its footer, written
//! with the page objects at the end. The font is the bundled Noto Sans CJK SC (SIL OFL, `assets/fonts/`), subset
//! at the end to the glyphs the document uses and embedded as a CID-keyed CFF font with a ToUnicode map, so the text
//! can be searched and copied.
//!
//! Layout: A4, portrait or landscape; on every page the title, the unit (单位) and the date, then the table with its
//! header row repeated, cells wrapped at character boundaries (Chinese has no spaces to wait for) and the page number
//! at the foot.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::OnceLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap};
use pdf_writer::{Chunk, Content, Filter, Finish, Name, Rect, Ref, Settings, Str, TextStr};

/// The bundled font: Noto Sans CJK SC Regular, subset to GBK and CJK Extension A (27,500 characters, so rare
/// characters in names and places print: 塘㙟镇) with `pyftsubset`; licence and recipe beside it.
static FONT_DATA: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansCJKsc-Regular-subset.otf");
const FONT_NAME: &[u8] = b"HLAAAA+NotoSansCJKsc-Regular";

struct Font {
    face: ttf_parser::Face<'static>,
    /// Thousandths of an em per font unit.
    scale: f32,
    ascent: f32,
    descent: f32,
    cap_height: f32,
    bbox: Rect,
}

fn load_font() -> Result<Font, String> {
    let face = ttf_parser::Face::parse(FONT_DATA, 0).map_err(|e| format!("内置中文字体无法解析：{e}"))?;
    if face.tables().cff.is_none() {
        return Err("内置中文字体不是 CFF 字形的 OpenType 字体".into());
    }
    for c in "党员台账第页共㙟…□0123456789".chars() {
        if face.glyph_index(c).is_none() {
            return Err(format!("内置中文字体缺少字符“{c}”"));
        }
    }
    let scale = 1000.0 / f32::from(face.units_per_em());
    let b = face.global_bounding_box();
    Ok(Font {
        scale,
        ascent: f32::from(face.ascender()) * scale,
        descent: f32::from(face.descender()) * scale,
        cap_height: face.capital_height().map(|h| f32::from(h) * scale).unwrap_or(700.0),
        bbox: Rect::new(
            f32::from(b.x_min) * scale,
            f32::from(b.y_min) * scale,
            f32::from(b.x_max) * scale,
            f32::from(b.y_max) * scale,
        ),
        face,
    })
}

fn font() -> &'static Result<Font, String> {
    static FONT: OnceLock<Result<Font, String>> = OnceLock::new();
    FONT.get_or_init(load_font)
}

/// Checks the bundled font once at start-up, so that a broken build stops the server with a clear message
/// instead of printing boxes.
pub fn check_font() -> Result<(), String> {
    font().as_ref().map(|_| ()).map_err(Clone::clone)
}

/// How a column's text sits in its cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

/// A column: its header, its share of the table's width and at most how many lines a cell may take
/// (longer text is cut with "…"). A column that must not wrap (an ID number, a phone, a date) names a sample
/// of its widest value instead and gets exactly that width; the others share the rest.
#[derive(Clone, Debug)]
pub struct Column {
    pub header: String,
    pub width: f32,
    pub align: Align,
    pub max_lines: usize,
    pub fit: Option<String>,
}

impl Column {
    pub fn new(header: impl Into<String>, width: f32) -> Self {
        Self { header: header.into(), width, align: Align::Left, max_lines: 3, fit: None }
    }
    /// The column is as wide as `sample` needs on one line.
    pub fn fit(mut self, sample: impl Into<String>) -> Self {
        self.fit = Some(sample.into());
        self
    }
    pub fn center(mut self) -> Self {
        self.align = Align::Center;
        self
    }
    pub fn lines(mut self, n: usize) -> Self {
        self.max_lines = n.max(1);
        self
    }
}

/// What a printed table says around its rows.
#[derive(Clone, Debug)]
pub struct TableSpec {
    /// The document's title, on every page.
    pub title: String,
    /// The unit (填报单位) and the date, on every page.
    pub unit: String,
    pub date: String,
    /// Lines on the first page only, under the title (counts, filters, a confidentiality note).
    pub intro: Vec<String>,
    pub columns: Vec<Column>,
    pub landscape: bool,
    /// The body's font size in points.
    pub font_size: f32,
}

const MARGIN_X: f32 = 30.0;
const MARGIN_TOP: f32 = 30.0;
const MARGIN_BOTTOM: f32 = 36.0;
const PAD: f32 = 2.5;
const LINE: f32 = 1.3;
const FONT_RES: Name<'static> = Name(b"F1");
/// Punctuation that may not begin a line.
const NO_LINE_START: &str = "，。、；：！？）」』》〉】”’…,.;:!?)";
/// Page content streams compressed fast: a ledger is mostly short distinct strings.
const LEVEL: u32 = 3;

/// An output that knows how many bytes it has written (the cross-reference table needs each object's offset).
struct Counting<W> {
    inner: W,
    pos: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A line of text as glyphs (two bytes each, Identity-H) and its width in points at size 1.
struct Shaped {
    glyphs: Vec<u8>,
    width: f32,
}

/// Wrapped cell text: one [`Shaped`] per line.
type Cell = Vec<Shaped>;

struct Page {
    content: Content,
    /// Where the next row starts (top edge), and where the table began on this page.
    y: f32,
    table_top: f32,
}

/// The PDF table writer. `row` for each row, then `finish`.
pub struct TablePdf<W: Write> {
    doc: Doc<W>,
    spec: TableSpec,
    width: f32,
    height: f32,
    /// Column edges, from the left margin to the right one.
    xs: Vec<f32>,
    header: Vec<Cell>,
    header_height: f32,
    page: Option<Page>,
    /// The main content stream of each finished page.
    pages: Vec<Ref>,
    rows: usize,
}

/// What every document shares: the output with each object's offset, and the font's glyphs in use (subset and
/// embedded at the end).
struct Doc<W: Write> {
    out: Counting<W>,
    font: &'static Font,
    offsets: Vec<u64>,
    next_ref: i32,
    remapper: subsetter::GlyphRemapper,
    /// char → (new glyph id, advance in thousandths of an em)
    glyphs: HashMap<char, (u16, f32)>,
    /// (new glyph id, char, advance) in the order first used.
    used: Vec<(u16, char, f32)>,
    max_new: u16,
}

const CATALOG: Ref = Ref::new(1);
const PAGE_TREE: Ref = Ref::new(2);
const TYPE0: Ref = Ref::new(3);
const CID_FONT: Ref = Ref::new(4);
const DESCRIPTOR: Ref = Ref::new(5);
const FONT_FILE: Ref = Ref::new(6);
const TO_UNICODE: Ref = Ref::new(7);
const INFO: Ref = Ref::new(8);
const FIRST_FREE: i32 = 9;

fn compress(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::with_capacity(data.len() / 3), flate2::Compression::new(LEVEL));
    z.write_all(data)?;
    z.finish()
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

fn text(content: &mut Content, s: &Shaped, x: f32, y: f32, size: f32) {
    content.begin_text().set_font(FONT_RES, size).next_line(x, y).show(Str(&s.glyphs)).end_text();
}

impl<W: Write> Doc<W> {
    fn new(out: W) -> io::Result<Self> {
        let font = font().as_ref().map_err(invalid)?;
        let mut me = Self {
            out: Counting { inner: out, pos: 0 },
            font,
            offsets: Vec::new(),
            next_ref: FIRST_FREE,
            remapper: subsetter::GlyphRemapper::new(),
            glyphs: HashMap::new(),
            used: Vec::new(),
            max_new: 0,
        };
        // Binary marker so that transfer tools treat the file as binary.
        me.out.write_all(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(me)
    }

    fn alloc(&mut self) -> Ref {
        let r = Ref::new(self.next_ref);
        self.next_ref += 1;
        r
    }

    fn write_obj(&mut self, id: Ref, chunk: &Chunk) -> io::Result<()> {
        let i = id.get() as usize;
        if self.offsets.len() <= i {
            self.offsets.resize(i + 1, 0);
        }
        self.offsets[i] = self.out.pos;
        self.out.write_all(chunk.as_bytes())
    }

    fn glyph(&mut self, c: char) -> (u16, f32) {
        if let Some(g) = self.glyphs.get(&c) {
            return *g;
        }
        let face = &self.font.face;
        let (old, c_used) = match face.glyph_index(c) {
            Some(g) => (g, c),
            // A character the font lacks prints as "□" rather than an invisible .notdef.
            None => (face.glyph_index('□').unwrap_or(ttf_parser::GlyphId(0)), '□'),
        };
        let advance = face.glyph_hor_advance(old).map(|a| f32::from(a) * self.font.scale).unwrap_or(1000.0);
        let new = self.remapper.remap(old.0);
        // New ids are handed out in order, so a higher one is a glyph not seen before.
        if new > self.max_new {
            self.max_new = new;
            self.used.push((new, c_used, advance));
        }
        self.glyphs.insert(c, (new, advance));
        (new, advance)
    }

    fn shape(&mut self, text: &str) -> Shaped {
        let mut s = Shaped { glyphs: Vec::with_capacity(text.len() * 2), width: 0.0 };
        for c in text.chars() {
            let c = if c.is_control() { ' ' } else { c };
            let (g, a) = self.glyph(c);
            s.glyphs.extend_from_slice(&g.to_be_bytes());
            s.width += a / 1000.0;
        }
        s
    }

    /// Wraps `text` into lines at most `width` points wide at `size`, at most `max_lines` of them.
    fn wrap(&mut self, text: &str, width: f32, size: f32, max_lines: usize) -> Cell {
        let mut lines: Cell = Vec::new();
        let mut cur = Shaped { glyphs: Vec::new(), width: 0.0 };
        // Ideographic spaces stay: they indent a paragraph's first line.
        let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
        let mut chars = text.chars().peekable();
        // Where the run of letters and digits at the end of the line began (glyph bytes, width): a number
        // (an ID number, a phone, a date) moves to the next line whole rather than break.
        let mut run: Option<(usize, f32)> = None;
        while let Some(c) = chars.next() {
            if c == '\n' {
                lines.push(std::mem::replace(&mut cur, Shaped { glyphs: Vec::new(), width: 0.0 }));
                run = None;
                continue;
            }
            let c = if c.is_control() { ' ' } else { c };
            let (g, a) = self.glyph(c);
            let w = a / 1000.0 * size;
            // A closing mark never starts a line (行首禁则): it hangs past the edge instead.
            if cur.width + w > width && !cur.glyphs.is_empty() && !NO_LINE_START.contains(c) {
                match run.filter(|(at, _)| *at > 0 && c.is_ascii_alphanumeric()) {
                    Some((at, before)) => {
                        let tail = Shaped { glyphs: cur.glyphs.split_off(at), width: cur.width - before };
                        cur.width = before;
                        lines.push(std::mem::replace(&mut cur, tail));
                        run = Some((0, 0.0));
                    }
                    None => {
                        lines.push(std::mem::replace(&mut cur, Shaped { glyphs: Vec::new(), width: 0.0 }));
                        run = None;
                        if c == ' ' {
                            continue;
                        }
                    }
                }
            }
            if c.is_ascii_alphanumeric() {
                run.get_or_insert((cur.glyphs.len(), cur.width));
            } else {
                run = None;
            }
            cur.glyphs.extend_from_slice(&g.to_be_bytes());
            cur.width += w;
            if lines.len() + 1 == max_lines && chars.peek().is_some() {
                // The last line allowed: keep room for "…" and stop once it is full.
                let (eg, ea) = self.glyph('…');
                let ew = ea / 1000.0 * size;
                let next_w = chars.peek().map(|&n| self.glyph(n).1 / 1000.0 * size).unwrap_or(0.0);
                if cur.width + next_w + ew > width {
                    cur.glyphs.extend_from_slice(&eg.to_be_bytes());
                    cur.width += ew;
                    break;
                }
            }
        }
        if !cur.glyphs.is_empty() || lines.is_empty() {
            lines.push(cur);
        }
        // Widths are kept in points at size 1 for drawing.
        for l in &mut lines {
            l.width /= size;
        }
        lines
    }

    /// A compressed content stream as a new object.
    fn stream(&mut self, content: Content) -> io::Result<Ref> {
        let data = compress(content.finish().as_slice())?;
        let id = self.alloc();
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        chunk.stream(id, &data).filter(Filter::FlateDecode);
        self.write_obj(id, &chunk)?;
        Ok(id)
    }

    /// A page of `width` × `height` points drawn by `contents`, in order.
    fn page(&mut self, contents: &[Ref], width: f32, height: f32) -> io::Result<Ref> {
        let page_id = self.alloc();
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        {
            let mut page = chunk.page(page_id);
            page.parent(PAGE_TREE).media_box(Rect::new(0.0, 0.0, width, height));
            page.insert(Name(b"Contents")).array().items(contents.iter().copied());
            page.resources().fonts().pair(FONT_RES, TYPE0);
            page.finish();
        }
        self.write_obj(page_id, &chunk)?;
        Ok(page_id)
    }

    /// Writes the font, the page tree, the catalogue, the document's title and the trailer.
    fn end(&mut self, kids: &[Ref], title: &str) -> io::Result<()> {
        self.write_font()?;
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        chunk.pages(PAGE_TREE).kids(kids.iter().copied()).count(kids.len() as i32);
        self.write_obj(PAGE_TREE, &chunk)?;
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        chunk.indirect(CATALOG).dict().pair(Name(b"Type"), Name(b"Catalog")).pair(Name(b"Pages"), PAGE_TREE);
        self.write_obj(CATALOG, &chunk)?;
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        {
            let mut info = chunk.indirect(INFO).dict();
            info.pair(Name(b"Title"), TextStr(title));
            info.pair(Name(b"Producer"), TextStr("Honglian 红链"));
        }
        self.write_obj(INFO, &chunk)?;
        // Cross-reference table and trailer.
        let xref = self.out.pos;
        let size = self.offsets.len().max(self.next_ref as usize);
        let mut t = format!("xref\n0 {size}\n0000000000 65535 f\r\n");
        for i in 1..size {
            match self.offsets.get(i).copied().filter(|&o| o > 0) {
                Some(o) => t.push_str(&format!("{o:010} 00000 n\r\n")),
                None => t.push_str("0000000000 65535 f\r\n"),
            }
        }
        t.push_str(&format!("trailer\n<< /Size {size} /Root 1 0 R /Info 8 0 R >>\nstartxref\n{xref}\n%%EOF\n"));
        self.out.write_all(t.as_bytes())?;
        self.out.flush()
    }

    fn write_font(&mut self) -> io::Result<()> {
        let font = self.font;
        let subset = subsetter::subset(FONT_DATA, 0, &self.remapper).map_err(invalid)?;
        let raw = ttf_parser::RawFace::parse(&subset, 0).map_err(invalid)?;
        let cff = raw.table(ttf_parser::Tag::from_bytes(b"CFF ")).ok_or_else(|| invalid("字体子集缺少 CFF 表"))?;
        let data = compress(cff)?;
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        chunk.stream(FONT_FILE, &data).filter(Filter::FlateDecode).pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
        self.write_obj(FONT_FILE, &chunk)?;

        let system = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        chunk
            .type0_font(TYPE0)
            .base_font(Name(FONT_NAME))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(CID_FONT)
            .to_unicode(TO_UNICODE);
        self.write_obj(TYPE0, &chunk)?;

        let mut used = self.used.clone();
        used.sort_by_key(|u| u.0);
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        {
            let mut cid = chunk.cid_font(CID_FONT);
            cid.subtype(CidFontType::Type0)
                .base_font(Name(FONT_NAME))
                .system_info(system)
                .font_descriptor(DESCRIPTOR)
                .default_width(1000.0);
            let mut w = cid.widths();
            for (g, _, a) in used.iter().filter(|u| (u.2 - 1000.0).abs() > 0.01) {
                w.consecutive(*g, [*a]);
            }
        }
        self.write_obj(CID_FONT, &chunk)?;

        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        chunk
            .font_descriptor(DESCRIPTOR)
            .name(Name(FONT_NAME))
            .flags(FontFlags::SYMBOLIC)
            .bbox(font.bbox)
            .italic_angle(0.0)
            .ascent(font.ascent)
            .descent(font.descent)
            .cap_height(font.cap_height)
            .stem_v(80.0)
            .font_file3(FONT_FILE);
        self.write_obj(DESCRIPTOR, &chunk)?;

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system);
        for (g, c, _) in &used {
            if *g != 0 {
                cmap.pair(*g, *c);
            }
        }
        let data = compress(cmap.finish().as_slice())?;
        let mut chunk = Chunk::with_settings(Settings { pretty: false });
        chunk.stream(TO_UNICODE, &data).filter(Filter::FlateDecode);
        self.write_obj(TO_UNICODE, &chunk)
    }
}

impl<W: Write> TablePdf<W> {
    pub fn new(spec: TableSpec, out: W) -> io::Result<Self> {
        let font = font().as_ref().map_err(invalid)?;
        let (width, height) = if spec.landscape { (841.89, 595.28) } else { (595.28, 841.89) };
        let usable = width - 2.0 * MARGIN_X;
        let measure = |t: &str| -> f32 {
            let units: f32 = t
                .chars()
                .map(|c| {
                    let g = font.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                    font.face.glyph_hor_advance(g).map(|a| f32::from(a) * font.scale).unwrap_or(1000.0)
                })
                .sum();
            units / 1000.0 * spec.font_size + 2.0 * PAD + 1.0
        };
        let fixed: Vec<Option<f32>> = spec.columns.iter().map(|c| c.fit.as_deref().map(measure)).collect();
        let fixed_sum: f32 = fixed.iter().flatten().sum();
        let weights: f32 =
            spec.columns.iter().zip(&fixed).filter(|(_, f)| f.is_none()).map(|(c, _)| c.width).sum::<f32>();
        // Fixed columns first; if they alone overflow the page, everything shrinks in proportion.
        let (shrink, rest) =
            if fixed_sum > usable * 0.8 { (usable * 0.8 / fixed_sum, usable * 0.2) } else { (1.0, usable - fixed_sum) };
        let mut xs = vec![MARGIN_X];
        for (c, f) in spec.columns.iter().zip(&fixed) {
            let last = *xs.last().unwrap_or(&MARGIN_X);
            let w = match f {
                Some(f) => f * shrink,
                None => rest * c.width / weights.max(1.0),
            };
            xs.push(last + w);
        }
        let mut me = Self {
            doc: Doc::new(out)?,
            spec,
            width,
            height,
            xs,
            header: Vec::new(),
            header_height: 0.0,
            page: None,
            pages: Vec::new(),
            rows: 0,
        };
        let header: Vec<Cell> = (0..me.spec.columns.len())
            .map(|i| {
                let c = &me.spec.columns[i];
                let (text, w) = (c.header.clone(), me.xs[i + 1] - me.xs[i]);
                me.doc.wrap(&text, w - 2.0 * PAD, me.spec.font_size, 3)
            })
            .collect();
        me.header_height = me.cell_height(&header);
        me.header = header;
        Ok(me)
    }

    fn cell_height(&self, cells: &[Cell]) -> f32 {
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32;
        lines * self.spec.font_size * LINE + 2.0 * PAD
    }

    fn draw_row(&self, content: &mut Content, cells: &[Cell], top: f32, height: f32, centre_all: bool) {
        let size = self.spec.font_size;
        let line_h = size * LINE;
        let lines_total = |c: &Cell| c.len() as f32 * line_h;
        for (i, cell) in cells.iter().enumerate() {
            let (x0, x1) = (self.xs[i], self.xs[i + 1]);
            // Vertically centred in the row, each line at its baseline.
            let block = lines_total(cell);
            let mut base = top - (height - block) / 2.0 - (line_h - size) / 2.0 - size * self.doc.font.ascent / 1000.0
                + size * 0.06;
            for l in cell {
                let align = if centre_all { Align::Center } else { self.spec.columns[i].align };
                let x = match align {
                    Align::Left => x0 + PAD,
                    Align::Center => x0 + ((x1 - x0) - l.width * size) / 2.0,
                };
                text(content, l, x, base, size);
                base -= line_h;
            }
        }
    }

    fn start_page(&mut self) {
        let mut content = Content::new();
        let first = self.pages.is_empty();
        let mut y = self.height - MARGIN_TOP;
        // Title, centred, emboldened by stroking the outline.
        let title_size = 15.0;
        let title = self.doc.shape(&self.spec.title.clone());
        y -= title_size;
        content.save_state().set_text_rendering_mode(TextRenderingMode::FillStroke).set_line_width(0.4);
        text(&mut content, &title, (self.width - title.width * title_size) / 2.0, y, title_size);
        content.restore_state();
        y -= 8.0;
        // Unit left, date right.
        let meta_size = 9.0;
        y -= meta_size;
        let unit = self.doc.shape(&format!("单位：{}", self.spec.unit));
        text(&mut content, &unit, MARGIN_X, y, meta_size);
        let date = self.doc.shape(&format!("日期：{}", self.spec.date));
        text(&mut content, &date, self.width - MARGIN_X - date.width * meta_size, y, meta_size);
        if first {
            for line in self.spec.intro.clone() {
                let width = self.width - 2.0 * MARGIN_X;
                for l in self.doc.wrap(&line, width, meta_size, 4) {
                    y -= meta_size * LINE;
                    text(&mut content, &l, MARGIN_X, y, meta_size);
                }
            }
        }
        y -= 6.0;
        // The header row, shaded, on every page.
        let table_top = y;
        let hh = self.header_height;
        content
            .set_fill_gray(0.88)
            .rect(MARGIN_X, y - hh, self.width - 2.0 * MARGIN_X, hh)
            .fill_nonzero()
            .set_fill_gray(0.0);
        content.save_state().set_text_rendering_mode(TextRenderingMode::FillStroke).set_line_width(0.25);
        self.draw_row(&mut content, &self.header, y, hh, true);
        content.restore_state();
        y -= hh;
        content.set_line_width(0.5).move_to(MARGIN_X, y).line_to(self.width - MARGIN_X, y).stroke();
        self.page = Some(Page { content, y, table_top });
    }

    fn end_page(&mut self) -> io::Result<()> {
        let Some(mut page) = self.page.take() else { return Ok(()) };
        // The grid: outer frame and column rules, from the header's top to the last row.
        let c = &mut page.content;
        c.set_line_width(0.5);
        c.rect(MARGIN_X, page.y, self.width - 2.0 * MARGIN_X, page.table_top - page.y).stroke();
        for x in &self.xs[1..self.xs.len() - 1] {
            c.move_to(*x, page.table_top).line_to(*x, page.y);
        }
        c.stroke();
        let id = self.doc.stream(page.content)?;
        self.pages.push(id);
        Ok(())
    }

    /// Adds a row (cells in column order; missing ones are blank).
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> io::Result<()> {
        let size = self.spec.font_size;
        let n = self.spec.columns.len();
        let mut wrapped: Vec<Cell> = Vec::with_capacity(n);
        for i in 0..n {
            let text = cells.get(i).map(AsRef::as_ref).unwrap_or("");
            let w = self.xs[i + 1] - self.xs[i] - 2.0 * PAD;
            let max = self.spec.columns[i].max_lines;
            wrapped.push(self.doc.wrap(text, w, size, max));
        }
        let h = self.cell_height(&wrapped);
        if self.page.is_none() {
            self.start_page();
        }
        let fits = self.page.as_ref().is_some_and(|p| p.y - h >= MARGIN_BOTTOM || p.y == self.table_body_top(p));
        if !fits {
            self.end_page()?;
            self.start_page();
        }
        let Some(mut page) = self.page.take() else { return Ok(()) };
        self.draw_row(&mut page.content, &wrapped, page.y, h, false);
        page.y -= h;
        page.content.set_line_width(0.3).move_to(MARGIN_X, page.y).line_to(self.width - MARGIN_X, page.y).stroke();
        self.page = Some(page);
        self.rows += 1;
        Ok(())
    }

    /// The top of a page's first row (a row taller than a page is drawn anyway, cut at the foot).
    fn table_body_top(&self, p: &Page) -> f32 {
        p.table_top - self.header_height
    }

    /// Writes the page footers, the page objects, the font and the trailer; returns the page count.
    pub fn finish(mut self) -> io::Result<usize> {
        if self.page.is_none() && self.pages.is_empty() {
            self.start_page();
            let size = self.spec.font_size;
            let none = self.doc.shape("（无记录）");
            if let Some(p) = self.page.as_mut() {
                p.y -= size * 2.0;
                text(&mut p.content, &none, MARGIN_X + PAD, p.y + size * 0.6, size);
            }
        }
        self.end_page()?;
        let total = self.pages.len();
        let mut kids = Vec::with_capacity(total);
        let pages = std::mem::take(&mut self.pages);
        for (i, main) in pages.iter().enumerate() {
            let size = 9.0;
            let label = self.doc.shape(&format!("第 {} 页 共 {} 页", i + 1, total));
            let mut f = Content::new();
            text(&mut f, &label, (self.width - label.width * size) / 2.0, MARGIN_BOTTOM - 20.0, size);
            let footer = self.doc.stream(f)?;
            kids.push(self.doc.page(&[*main, footer], self.width, self.height)?);
        }
        self.doc.end(&kids, &self.spec.title)?;
        Ok(total)
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

/// A form on A4 portrait (a letter, a receipt slip): text placed where the printed form has it, paragraphs
/// wrapped to a width, rules and dashed cut lines. Small, so written to memory. Positions are in points from
/// the page's top-left corner; `y` is a line's baseline.
pub struct FormPdf {
    doc: Doc<Vec<u8>>,
    title: String,
    content: Content,
    pages: Vec<Ref>,
}

impl FormPdf {
    pub const WIDTH: f32 = 595.28;
    pub const HEIGHT: f32 = 841.89;

    pub fn new(title: impl Into<String>) -> io::Result<Self> {
        Ok(Self { doc: Doc::new(Vec::new())?, title: title.into(), content: Content::new(), pages: Vec::new() })
    }

    /// Width of `s` at `size`, in points.
    pub fn width_of(&mut self, s: &str, size: f32) -> f32 {
        self.doc.shape(s).width * size
    }

    /// Text starting at `x`; `bold` strokes the outline as the tables' titles do.
    pub fn text(&mut self, x: f32, y: f32, size: f32, s: &str, bold: bool) {
        let shaped = self.doc.shape(s);
        if bold {
            self.content.save_state().set_text_rendering_mode(TextRenderingMode::FillStroke).set_line_width(0.4);
        }
        text(&mut self.content, &shaped, x, Self::HEIGHT - y, size);
        if bold {
            self.content.restore_state();
        }
    }

    /// Text centred on the page.
    pub fn centred(&mut self, y: f32, size: f32, s: &str, bold: bool) {
        let w = self.width_of(s, size);
        self.text((Self::WIDTH - w) / 2.0, y, size, s, bold);
    }

    /// Text ending at `right`.
    pub fn right(&mut self, right: f32, y: f32, size: f32, s: &str) {
        let w = self.width_of(s, size);
        self.text(right - w, y, size, s, false);
    }

    /// A paragraph from `x`, `width` wide, its first line indented by two characters; the baseline of the
    /// line after it.
    pub fn paragraph(&mut self, x: f32, y: f32, width: f32, size: f32, s: &str) -> f32 {
        let indented = format!("\u{3000}\u{3000}{}", s.trim());
        let lines = self.doc.wrap(&indented, width, size, usize::MAX);
        let mut y = y;
        for l in lines {
            text(&mut self.content, &l, x, Self::HEIGHT - y, size);
            y += size * 1.8;
        }
        y
    }

    /// A horizontal rule; `dashed` for a line to cut along.
    pub fn rule(&mut self, x0: f32, x1: f32, y: f32, dashed: bool) {
        let c = &mut self.content;
        c.save_state().set_line_width(0.6);
        if dashed {
            c.set_dash_pattern([4.0, 3.0], 0.0);
        }
        c.move_to(x0, Self::HEIGHT - y).line_to(x1, Self::HEIGHT - y).stroke();
        c.restore_state();
    }

    /// Ends the page and starts another.
    pub fn new_page(&mut self) -> io::Result<()> {
        let content = std::mem::replace(&mut self.content, Content::new());
        let main = self.doc.stream(content)?;
        self.pages.push(self.doc.page(&[main], Self::WIDTH, Self::HEIGHT)?);
        Ok(())
    }

    /// The document's bytes.
    pub fn finish(mut self) -> io::Result<Vec<u8>> {
        self.new_page()?;
        self.doc.end(&self.pages, &self.title)?;
        Ok(std::mem::take(&mut self.doc.out.inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_mark_never_starts_a_line_an_indent_stays_and_a_number_is_not_broken() {
        let mut doc = Doc::new(Vec::new()).unwrap();
        // Ten ideographs fill 100 points at size 10; the comma after them hangs instead of starting a line.
        let lines = doc.wrap("一二三四五六七八九十，之后", 100.0, 10.0, 9);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].glyphs.len(), 11 * 2);
        let indented = doc.wrap("\u{3000}\u{3000}兹介绍", 100.0, 10.0, 9);
        assert_eq!(indented[0].glyphs.len(), 5 * 2, "the two ideographic spaces are kept");
        // A number moves to the next line whole.
        let id = doc.wrap("身份证号码440883198001179966，由", 100.0, 10.0, 9);
        assert_eq!(id[0].glyphs.len(), 5 * 2, "{}", id.len());
        assert_eq!(id[1].glyphs.len(), 19 * 2, "the number and the comma hanging after it");
    }

    #[test]
    fn the_bundled_font_loads() {
        check_font().unwrap();
    }

    #[test]
    fn a_long_table_breaks_into_numbered_pages() {
        let spec = TableSpec {
            title: "测试台账".into(),
            unit: "吴川市委组织部".into(),
            date: "2026-12-06".into(),
            intro: vec!["共 200 人".into()],
            columns: vec![Column::new("序号", 4.0).center(), Column::new("姓名", 8.0), Column::new("备注", 30.0)],
            landscape: false,
            font_size: 9.0,
        };
        let mut out = Vec::new();
        let mut t = TablePdf::new(spec, &mut out).unwrap();
        for i in 0..200 {
            t.row(&[(i + 1).to_string(), format!("党员{i}"), "很长的备注".repeat(i % 7)]).unwrap();
        }
        let pages = t.finish().unwrap();
        assert!(pages > 3, "{pages}");
        assert!(out.starts_with(b"%PDF-1.7"));
        assert!(out.ends_with(b"%%EOF\n"));
        if let Ok(dir) = std::env::var("HONGLIAN_PDF_SAMPLE") {
            std::fs::write(std::path::Path::new(&dir).join("table.pdf"), &out).unwrap();
        }
    }
}
