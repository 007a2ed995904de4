//! gleaner for Python: the extension module `gleaner._gleaner` behind the `gleaner-rs`
//! distribution. The Python package (`pysrc/gleaner`) re-exports it and adds the module-level
//! functions and the streaming form; everything that touches a page happens here, with the
//! GIL released for batches.
//!
//! A result is the CLI's output record (`gleaner_batch::output::Record`), so `to_dict()`
//! gives the same fields, in the same order, as `gleaner extract --format jsonl`.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use gleaner::{Config, Deadline, Mode, PageInfo, PageType, Style};
use gleaner_batch::output::Record;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyDict, PyList};

create_exception!(
    gleaner,
    GleanerError,
    PyException,
    "The base of gleaner's errors."
);
create_exception!(
    gleaner,
    InputError,
    GleanerError,
    "The input is not a web page: empty, binary (a PDF, an image, compressed data) or undecodable."
);
create_exception!(
    gleaner,
    ConfigError,
    GleanerError,
    "A config (dict, TOML file, mode or format) that gleaner cannot use."
);
create_exception!(
    gleaner,
    TimeBudgetError,
    GleanerError,
    "The page's time budget (`timeout`, or limits.time_budget_ms) ran out."
);
create_exception!(
    gleaner,
    PanicError,
    GleanerError,
    "A bug in gleaner on this input (a Rust panic, caught: the interpreter goes on)."
);

/// The Python exception for an extractor error.
fn to_py_err(e: &gleaner::Error) -> PyErr {
    let message = e.to_string();
    match e {
        gleaner::Error::Empty | gleaner::Error::Binary(_) => InputError::new_err(message),
        gleaner::Error::Config { .. } => ConfigError::new_err(message),
        gleaner::Error::TimeBudget { .. } => TimeBudgetError::new_err(message),
        gleaner::Error::Panic(_) => PanicError::new_err(message),
        _ => GleanerError::new_err(message),
    }
}

/// One page as handed over from Python: held without copying, readable without the GIL.
enum Page {
    Bytes(PyBackedBytes),
    Text(PyBackedStr),
    /// Not bytes or str: in a batch this becomes an error record, not an exception.
    Wrong(String),
}

impl Page {
    fn from_py(obj: &Bound<'_, PyAny>) -> Page {
        if let Ok(s) = obj.extract::<PyBackedStr>() {
            return Page::Text(s);
        }
        if let Ok(b) = obj.extract::<PyBackedBytes>() {
            return Page::Bytes(b);
        }
        let type_name = obj
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".into());
        Page::Wrong(format!(
            "a page must be bytes, bytearray or str, not {type_name}"
        ))
    }
}

/// What a call knows about the pages besides their bytes.
#[derive(Clone)]
struct Options {
    charset: Option<String>,
    /// Seconds; None: the config's time budget; 0 or less: no limit.
    timeout: Option<f64>,
}

impl Options {
    fn deadline(&self) -> Option<Deadline> {
        self.timeout.map(|t| {
            if t > 0.0 && t.is_finite() {
                Deadline::after(Duration::from_secs_f64(t))
            } else {
                Deadline::NONE
            }
        })
    }
}

/// Extracts one page, a panic included in the result.
fn run(
    extractor: &gleaner::Extractor,
    page: &Page,
    url: Option<&str>,
    options: &Options,
    cleaning: bool,
) -> Result<gleaner::Extraction, Result<gleaner::Error, String>> {
    let mut info = PageInfo::new().url(url).charset(options.charset.as_deref());
    if let Some(d) = options.deadline() {
        info = info.deadline(d);
    }
    let result = catch_unwind(AssertUnwindSafe(|| match page {
        // As for bytes: an empty page is an error, not an empty extraction.
        Page::Text(s) if s.is_empty() => Err(gleaner::Error::Empty),
        Page::Bytes(b) if cleaning => extractor.clean_text_bytes(b, &info),
        Page::Bytes(b) => extractor.extract(b, &info),
        Page::Text(s) if cleaning => extractor.clean_text(s, &info),
        Page::Text(s) => extractor.extract_html(s, &info),
        Page::Wrong(_) => Ok(gleaner::Extraction::default()),
    }))
    .unwrap_or_else(|p| Err(gleaner::Error::Panic(gleaner::panic_message(p.as_ref()))));
    match (page, result) {
        (Page::Wrong(why), _) => Err(Err(why.clone())),
        (_, Ok(x)) => Ok(x),
        (_, Err(e)) => Err(Ok(e)),
    }
}

/// The CLI's record of one result. `id` is the caller's (a WARC record id, a database key);
/// `source`, the file a record was read from, stays empty: a page from Python has none.
fn record(
    id: Option<&str>,
    url: Option<&str>,
    result: Result<gleaner::Extraction, Result<gleaner::Error, String>>,
) -> Record {
    let id = id.unwrap_or_default().to_string();
    let url = url.map(str::to_string);
    match result {
        Ok(x) => Record::new(id, String::new(), url, Ok(x)),
        Err(Ok(e)) => Record::new(id, String::new(), url, Err(e.into())),
        Err(Err(why)) => {
            let mut r = Record::new(id, String::new(), url, Ok(gleaner::Extraction::default()));
            r.error = Some(why);
            r
        }
    }
}

/// The result of extracting one page: its text, its metadata and how it was decoded. A page
/// that failed inside a batch has `error` set and empty text.
#[pyclass(frozen, module = "gleaner", name = "Extraction")]
struct Extraction {
    record: Record,
}

#[pymethods]
impl Extraction {
    /// The main content: plain text, or Markdown with ``format="markdown"``.
    #[getter]
    fn text(&self) -> &str {
        &self.record.text
    }
    /// The headline.
    #[getter]
    fn title(&self) -> Option<&str> {
        self.record.metadata.title.as_deref()
    }
    /// The authors' names, in page order.
    #[getter]
    fn authors(&self) -> Vec<String> {
        self.record.metadata.authors.clone()
    }
    /// The publication date (ISO 8601).
    #[getter]
    fn date(&self) -> Option<&str> {
        self.record.metadata.date.as_deref()
    }
    /// The last modification date (ISO 8601).
    #[getter]
    fn date_modified(&self) -> Option<&str> {
        self.record.metadata.date_modified.as_deref()
    }
    /// The site's name.
    #[getter]
    fn sitename(&self) -> Option<&str> {
        self.record.metadata.sitename.as_deref()
    }
    /// The page's own summary (`<meta name=description>`, `og:description`, JSON-LD).
    #[getter]
    fn description(&self) -> Option<&str> {
        self.record.metadata.description.as_deref()
    }
    /// The language of the text (BCP 47 tag).
    #[getter]
    fn language(&self) -> Option<&str> {
        self.record.metadata.language.as_deref()
    }
    /// The canonical URL the page declares.
    #[getter]
    fn canonical_url(&self) -> Option<&str> {
        self.record.metadata.canonical_url.as_deref()
    }
    /// Section names.
    #[getter]
    fn categories(&self) -> Vec<String> {
        self.record.metadata.categories.clone()
    }
    /// Keywords and tags.
    #[getter]
    fn tags(&self) -> Vec<String> {
        self.record.metadata.tags.clone()
    }
    /// The lead image's URL.
    #[getter]
    fn image(&self) -> Option<&str> {
        self.record.metadata.image.as_deref()
    }
    /// ``"article"``, ``"listing"``, ``"forum"``, ``"product"``, ``"documentation"`` or ``"other"``.
    #[getter]
    fn page_type(&self) -> &'static str {
        self.record.metadata.page_type.as_str()
    }
    /// The encoding the bytes were decoded with (``"UTF-8"``, ``"windows-1252"``); None for str input.
    #[getter]
    fn encoding(&self) -> Option<&str> {
        self.record.encoding
    }
    /// The page was larger than ``limits.max_page_bytes`` and was cut.
    #[getter]
    fn truncated(&self) -> bool {
        self.record.truncated
    }
    /// The page ran out of its time budget and the text is the cheap fallback's (its visible
    /// text through the plain-text cleaner), not a full extraction.
    #[getter]
    fn degraded(&self) -> bool {
        self.record.degraded
    }
    /// Why the page gave no extraction (batches only; ``extract`` raises instead), else None.
    #[getter]
    fn error(&self) -> Option<&str> {
        self.record.error.as_deref()
    }
    /// The URL given with the page.
    #[getter]
    fn url(&self) -> Option<&str> {
        self.record.url.as_deref()
    }
    /// The id given with the page (``id=``, ``ids=``), else None.
    #[getter]
    fn id(&self) -> Option<&str> {
        Some(self.record.id.as_str()).filter(|s| !s.is_empty())
    }
    /// The file the record was read from: None for a page handed over from Python.
    #[getter]
    fn source(&self) -> Option<&str> {
        Some(self.record.source.as_str()).filter(|s| !s.is_empty())
    }
    /// The HTTP status of a fetched or archived page (a record read back with
    /// ``from_dict``), else None.
    #[getter]
    fn status(&self) -> Option<u16> {
        self.record.status
    }
    /// When a fetched or archived page's response arrived (RFC 3339), else None.
    #[getter]
    fn fetched_at(&self) -> Option<&str> {
        self.record.fetched_at.as_deref()
    }
    /// Why a record of a batch run was not extracted (not HTML…), else None.
    #[getter]
    fn skipped(&self) -> Option<&str> {
        self.record.skipped.as_deref()
    }

    /// The record as a dict: the fields, in the order, of a line of
    /// ``gleaner extract --format jsonl`` (``id`` is the one given with the page, ``source``
    /// is None: a page from Python comes from no file).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut value = serde_json::to_value(&self.record)
            .map_err(|e| GleanerError::new_err(format!("cannot serialize the record: {e}")))?;
        if let Some(map) = value.as_object_mut() {
            for key in ["id", "source"] {
                if map.get(key).and_then(|v| v.as_str()) == Some("") {
                    map.insert(key.into(), serde_json::Value::Null);
                }
            }
        }
        to_py(py, &value)
    }

    /// The Extraction a ``to_dict()`` dict (or a JSONL record of ``gleaner extract``, read
    /// with ``json.loads``) describes; the inverse of ``to_dict``. Keys it does not know are
    /// kept as the record's extra fields, as the CLI passes a JSONL input's own fields through.
    #[staticmethod]
    fn from_dict(record: &Bound<'_, PyDict>) -> PyResult<Extraction> {
        record_from_dict(record).map(|record| Extraction { record })
    }

    /// Pickles as its ``to_dict()`` (for multiprocessing, Spark, joblib): every field
    /// comes back.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>,))> {
        let from_dict = slf.get_type().getattr("from_dict")?;
        Ok((from_dict, (slf.get().to_dict(slf.py())?,)))
    }

    fn __repr__(&self) -> String {
        let mut preview: String = self.record.text.chars().take(40).collect();
        if preview.len() < self.record.text.len() {
            preview.push('…');
        }
        match &self.record.error {
            Some(e) => format!("Extraction(error={e:?})"),
            None => format!(
                "Extraction(title={:?}, page_type={:?}, text={:?})",
                self.record.metadata.title.as_deref().unwrap_or(""),
                self.record.metadata.page_type.as_str(),
                preview
            ),
        }
    }
}

/// The record a dict describes (`Extraction.from_dict`): the fields of `to_dict`, each
/// optional, checked for its type.
fn record_from_dict(d: &Bound<'_, PyDict>) -> PyResult<Record> {
    fn field<'py, T: FromPyObjectOwned<'py>>(
        d: &Bound<'py, PyDict>,
        key: &str,
    ) -> PyResult<Option<T>> {
        match d.get_item(key)? {
            Some(v) if !v.is_none() => v.extract::<T>().map(Some).map_err(|e| {
                PyTypeError::new_err(format!("Extraction.from_dict: {key:?}: {}", e.into()))
            }),
            _ => Ok(None),
        }
    }
    let mut r = Record::new(
        String::new(),
        String::new(),
        None,
        Ok(gleaner::Extraction::default()),
    );
    r.id = field(d, "id")?.unwrap_or_default();
    r.source = field(d, "source")?.unwrap_or_default();
    r.url = field(d, "url")?;
    let m = &mut r.metadata;
    m.title = field(d, "title")?;
    m.authors = field(d, "authors")?.unwrap_or_default();
    m.date = field(d, "date")?;
    m.date_modified = field(d, "date_modified")?;
    m.sitename = field(d, "sitename")?;
    m.description = field(d, "description")?;
    m.language = field(d, "language")?;
    m.canonical_url = field(d, "canonical_url")?;
    m.categories = field(d, "categories")?.unwrap_or_default();
    m.tags = field(d, "tags")?.unwrap_or_default();
    m.image = field(d, "image")?;
    if let Some(name) = field::<String>(d, "page_type")? {
        use PageType::*;
        m.page_type = [Article, Listing, Forum, Product, Documentation, Other]
            .into_iter()
            .find(|t| t.as_str() == name)
            .ok_or_else(|| PyValueError::new_err(format!("unknown page_type {name:?}")))?;
    }
    r.text = field(d, "text")?.unwrap_or_default();
    if let Some(name) = field::<String>(d, "encoding")? {
        r.encoding = Some(encoding_name(&name)?);
    }
    r.truncated = field(d, "truncated")?.unwrap_or(false);
    r.degraded = field(d, "degraded")?.unwrap_or(false);
    r.status = field(d, "status")?;
    r.fetched_at = field(d, "fetched_at")?;
    r.error = field(d, "error")?;
    r.skipped = field(d, "skipped")?;
    // The rest: a JSONL input's own fields, which the record passes through. The record's
    // own keys are those it serialises (every field, always), so the two cannot drift.
    let own = serde_json::to_value(&r)
        .map_err(|e| GleanerError::new_err(format!("cannot serialize the record: {e}")))?;
    for (k, v) in d.iter() {
        let key: String = k.extract()?;
        if own.get(&key).is_none() {
            r.passthrough.insert(key, from_py(&v)?);
        }
    }
    Ok(r)
}

/// The static name of an encoding (`Record::encoding` holds encoding_rs's names).
fn encoding_name(name: &str) -> PyResult<&'static str> {
    let found = encoding_rs::Encoding::for_label(name.as_bytes())
        .filter(|e| e.name() == name)
        .or_else(|| (name == "replacement").then_some(encoding_rs::REPLACEMENT));
    found
        .map(|e| e.name())
        .ok_or_else(|| PyValueError::new_err(format!("unknown encoding {name:?}")))
}

/// A Python value (of a JSON record) as JSON.
fn from_py(v: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    use serde_json::Value;
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = v.cast::<pyo3::types::PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(i) = v.extract::<i64>() {
        return Ok(Value::from(i));
    }
    if let Ok(f) = v.extract::<f64>() {
        return Ok(Value::from(f));
    }
    if let Ok(s) = v.extract::<String>() {
        return Ok(Value::String(s));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (k, v) in d.iter() {
            map.insert(k.extract::<String>()?, from_py(&v)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(items) = v.try_iter() {
        return items
            .map(|x| from_py(&x?))
            .collect::<PyResult<_>>()
            .map(Value::Array);
    }
    Err(PyTypeError::new_err(format!(
        "Extraction.from_dict: a JSON value is needed, not {}",
        v.get_type().name()?
    )))
}

/// A JSON value as Python objects.
fn to_py<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A rayon pool of `threads` threads, built once per size; None: rayon's global pool (all
/// cores, or `RAYON_NUM_THREADS`).
fn pool(threads: Option<usize>) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
    static POOLS: OnceLock<Mutex<HashMap<usize, Arc<rayon::ThreadPool>>>> = OnceLock::new();
    let Some(n) = threads else { return Ok(None) };
    if n == 0 {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let mut pools = POOLS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(p) = pools.get(&n) {
        return Ok(Some(p.clone()));
    }
    let p = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("gleaner-{i}"))
        .build()
        .map_err(|e| GleanerError::new_err(format!("cannot start {n} threads: {e}")))?;
    let p = Arc::new(p);
    pools.insert(n, p.clone());
    Ok(Some(p))
}

/// A value of a config dict as TOML.
fn toml_value(key: &str, v: &Bound<'_, PyAny>) -> PyResult<toml::Value> {
    if let Ok(b) = v.extract::<bool>() {
        return Ok(toml::Value::Boolean(b));
    }
    if let Ok(i) = v.extract::<i64>() {
        return Ok(toml::Value::Integer(i));
    }
    if let Ok(f) = v.extract::<f64>() {
        return Ok(toml::Value::Float(f));
    }
    if let Ok(s) = v.extract::<String>() {
        return Ok(toml::Value::String(s));
    }
    Err(ConfigError::new_err(format!(
        "config key {key:?}: a bool, number or str is needed"
    )))
}

/// Parses a format name.
fn style(format: &str) -> PyResult<Style> {
    match format.to_ascii_lowercase().as_str() {
        "text" | "txt" => Ok(Style::Text),
        "markdown" | "md" => Ok(Style::Markdown),
        _ => Err(ConfigError::new_err(format!(
            "unknown format {format:?} (text or markdown)"
        ))),
    }
}

/// The config a Python value describes: None, a dict, or the path of a TOML file.
fn config_from(config: Option<&Bound<'_, PyAny>>) -> PyResult<Config> {
    let Some(config) = config else {
        return Ok(Config::default());
    };
    if config.is_none() {
        return Ok(Config::default());
    }
    if let Ok(dict) = config.cast::<PyDict>() {
        let mut extract = toml::Table::new();
        let mut limits = toml::Table::new();
        let mut format = None;
        for (k, v) in dict.iter() {
            let key: String = k
                .extract()
                .map_err(|_| ConfigError::new_err("config keys must be str"))?;
            match key.as_str() {
                "format" | "style" => format = Some(v.extract::<String>()?),
                "mode" => {
                    extract.insert(key.clone(), toml_value(&key, &v)?);
                }
                "max_page_bytes" | "max_nesting" | "time_budget_ms" => {
                    limits.insert(key.clone(), toml_value(&key, &v)?);
                }
                "extract" | "limits" => {
                    let table = v.cast::<PyDict>().map_err(|_| {
                        ConfigError::new_err(format!("config key {key:?}: a dict is needed"))
                    })?;
                    for (k2, v2) in table.iter() {
                        let k2: String = k2
                            .extract()
                            .map_err(|_| ConfigError::new_err("config keys must be str"))?;
                        if key == "extract" && (k2 == "format" || k2 == "style") {
                            format = Some(v2.extract::<String>()?);
                            continue;
                        }
                        let value = toml_value(&k2, &v2)?;
                        if key == "extract" {
                            extract.insert(k2, value);
                        } else {
                            limits.insert(k2, value);
                        }
                    }
                }
                // The front ends' tables of a config file: not the extractor's.
                "batch" | "fetch" | "serve" => {}
                _ => {
                    return Err(ConfigError::new_err(format!(
                        "unknown config key {key:?} (mode, format, max_page_bytes, max_nesting, \
                         time_budget_ms, or the tables extract and limits)"
                    )));
                }
            }
        }
        let mut table = toml::Table::new();
        table.insert("extract".into(), toml::Value::Table(extract));
        table.insert("limits".into(), toml::Value::Table(limits));
        let mut c =
            Config::from_toml("config dict", &table.to_string()).map_err(|e| to_py_err(&e))?;
        if let Some(f) = format {
            c.style = style(&f)?;
        }
        return Ok(c);
    }
    let path: std::path::PathBuf = config.extract().map_err(|_| {
        PyTypeError::new_err("config must be None, a dict, or the path of a TOML file")
    })?;
    Config::from_file(&path).map_err(|e| to_py_err(&e))
}

/// Extracts main content with one config: build it once and use it from any number of
/// threads. ``config`` is None (the defaults), a dict (``{"mode": "recall", "format":
/// "markdown", "time_budget_ms": 5000}``, or the tables ``extract`` and ``limits`` of
/// config.toml) or the path of a TOML config file.
#[pyclass(frozen, subclass, module = "gleaner", name = "Extractor")]
struct PyExtractor {
    inner: Arc<gleaner::Extractor>,
}

/// A batch's pages, with their URLs and ids, read while the GIL is held.
struct Batch {
    pages: Vec<Page>,
    urls: Vec<Option<String>>,
    ids: Vec<Option<String>>,
}

impl Batch {
    fn collect(
        pages: &Bound<'_, PyAny>,
        urls: Option<&Bound<'_, PyAny>>,
        ids: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Batch> {
        let pages: Vec<Page> = pages
            .try_iter()
            .map_err(|_| PyTypeError::new_err("pages must be an iterable of bytes or str"))?
            .map(|p| p.map(|p| Page::from_py(&p)))
            .collect::<PyResult<_>>()?;
        let urls = Self::optional_strs("urls", urls, pages.len())?;
        let ids = Self::optional_strs("ids", ids, pages.len())?;
        Ok(Batch { pages, urls, ids })
    }

    /// `urls` or `ids`: None, or one str (or None) a page.
    fn optional_strs(
        name: &str,
        values: Option<&Bound<'_, PyAny>>,
        pages: usize,
    ) -> PyResult<Vec<Option<String>>> {
        let values: Vec<Option<String>> = match values {
            None => vec![None; pages],
            Some(v) if v.is_none() => vec![None; pages],
            Some(v) => v
                .try_iter()
                .map_err(|_| {
                    PyTypeError::new_err(format!("{name} must be an iterable of str or None"))
                })?
                .map(|x| x.and_then(|x| x.extract::<Option<String>>()))
                .collect::<PyResult<_>>()?,
        };
        if values.len() != pages {
            return Err(PyValueError::new_err(format!(
                "{pages} pages but {} {name}",
                values.len()
            )));
        }
        Ok(values)
    }
}

#[pymethods]
impl PyExtractor {
    #[new]
    #[pyo3(signature = (config=None, *, mode=None, format=None))]
    fn new(
        config: Option<&Bound<'_, PyAny>>,
        mode: Option<&str>,
        format: Option<&str>,
    ) -> PyResult<Self> {
        let mut c = config_from(config)?;
        if let Some(m) = mode {
            c.mode = m.parse::<Mode>().map_err(|e| to_py_err(&e))?;
        }
        if let Some(f) = format {
            c.style = style(f)?;
        }
        let inner = gleaner::Extractor::new(c).map_err(|e| to_py_err(&e))?;
        Ok(PyExtractor {
            inner: Arc::new(inner),
        })
    }

    /// The mode: ``"precision"``, ``"balanced"`` or ``"recall"``.
    #[getter]
    fn mode(&self) -> &'static str {
        self.inner.config().mode.name()
    }

    /// The format of the text: ``"text"`` or ``"markdown"``.
    #[getter]
    fn format(&self) -> &'static str {
        match self.inner.config().style {
            Style::Markdown => "markdown",
            _ => "text",
        }
    }

    /// Extracts one page (bytes in any encoding, or str). Raises GleanerError (InputError for
    /// empty, binary or undecodable input) when there is nothing to extract.
    #[pyo3(signature = (page, url=None, *, id=None, charset=None, timeout=None))]
    fn extract(
        &self,
        py: Python<'_>,
        page: &Bound<'_, PyAny>,
        url: Option<String>,
        id: Option<String>,
        charset: Option<String>,
        timeout: Option<f64>,
    ) -> PyResult<Extraction> {
        self.one(py, page, url, id, Options { charset, timeout }, false)
    }

    /// Cleans text that was scraped already (no markup left): keeps the main content's
    /// paragraphs, drops the clutter that survived.
    #[pyo3(signature = (text, url=None, *, id=None, charset=None, timeout=None))]
    fn clean_text(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        url: Option<String>,
        id: Option<String>,
        charset: Option<String>,
        timeout: Option<f64>,
    ) -> PyResult<Extraction> {
        self.one(py, text, url, id, Options { charset, timeout }, true)
    }

    /// Extracts many pages on a pool of ``threads`` threads (default: all cores) with the GIL
    /// released; the results come back in input order, and a page that fails gives an
    /// Extraction whose ``error`` says why. ``ids`` (one a page, or None) become the records'
    /// ``id``.
    #[pyo3(signature = (pages, urls=None, *, ids=None, threads=None, charset=None, timeout=None, clean=false))]
    #[allow(clippy::too_many_arguments)]
    fn extract_many(
        &self,
        py: Python<'_>,
        pages: &Bound<'_, PyAny>,
        urls: Option<&Bound<'_, PyAny>>,
        ids: Option<&Bound<'_, PyAny>>,
        threads: Option<usize>,
        charset: Option<String>,
        timeout: Option<f64>,
        clean: bool,
    ) -> PyResult<Vec<Extraction>> {
        let batch = Batch::collect(pages, urls, ids)?;
        let pool = pool(threads)?;
        let options = Options { charset, timeout };
        let extractor = self.inner.clone();
        let records: Vec<Record> = py.detach(|| {
            use rayon::prelude::*;
            let work = || {
                (0..batch.pages.len())
                    .into_par_iter()
                    .map(|i| {
                        let url = batch.urls[i].as_deref();
                        let result = run(&extractor, &batch.pages[i], url, &options, clean);
                        record(batch.ids[i].as_deref(), url, result)
                    })
                    .collect()
            };
            match &pool {
                Some(p) => p.install(work),
                None => work(),
            }
        });
        Ok(records
            .into_iter()
            .map(|record| Extraction { record })
            .collect())
    }

    /// Runs the CLI's batch pipeline (``gleaner extract INPUTS --format jsonl --output
    /// OUTPUT``): page files, directories, WARC and JSONL files (gzip unpacked) in, one JSONL
    /// record per input record out, with the CLI's ``id``, ``source`` and ``error`` fields.
    /// Returns the summary: ``read``, ``extracted``, ``empty``, ``skipped``, ``failed``,
    /// ``page_bytes``, ``seconds``. The GIL is released while it runs. ``inline=True`` reads
    /// and extracts on the calling thread, one record after another (``threads`` is then
    /// ignored): one core, as an engine's task slot (Spark, datatrove) expects; the records
    /// are the same.
    #[pyo3(signature = (inputs, output, *, threads=None, include_skipped=false, inline=false))]
    fn extract_files<'py>(
        &self,
        py: Python<'py>,
        inputs: Vec<String>,
        output: std::path::PathBuf,
        threads: Option<usize>,
        include_skipped: bool,
        inline: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        if threads == Some(0) {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        let options = gleaner_batch::pipeline::Options {
            inputs,
            format: Some(gleaner_batch::output::Format::Jsonl),
            jobs: threads,
            inline,
            output: Some(output),
            include_skipped,
            ..Default::default()
        };
        let extractor = self.inner.clone();
        let summary = py
            .detach(|| {
                catch_unwind(AssertUnwindSafe(|| {
                    gleaner_batch::pipeline::run(&extractor, &options).map_err(|e| format!("{e:#}"))
                }))
                .unwrap_or_else(|p| Err(gleaner::panic_message(p.as_ref())))
            })
            .map_err(GleanerError::new_err)?;
        let d = PyDict::new(py);
        d.set_item("read", summary.read)?;
        d.set_item("extracted", summary.extracted)?;
        d.set_item("empty", summary.empty)?;
        d.set_item("skipped", summary.skipped)?;
        d.set_item("failed", summary.failed)?;
        d.set_item("page_bytes", summary.page_bytes)?;
        d.set_item("seconds", summary.seconds)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Extractor(mode={:?}, format={:?})",
            self.mode(),
            self.format()
        )
    }
}

impl PyExtractor {
    fn one(
        &self,
        py: Python<'_>,
        page: &Bound<'_, PyAny>,
        url: Option<String>,
        id: Option<String>,
        options: Options,
        cleaning: bool,
    ) -> PyResult<Extraction> {
        let page = Page::from_py(page);
        if let Page::Wrong(why) = &page {
            return Err(PyTypeError::new_err(why.clone()));
        }
        let extractor = &self.inner;
        let result = py.detach(|| run(extractor, &page, url.as_deref(), &options, cleaning));
        match result {
            Ok(x) => Ok(Extraction {
                record: record(id.as_deref(), url.as_deref(), Ok(x)),
            }),
            Err(Ok(e)) => Err(to_py_err(&e)),
            Err(Err(why)) => Err(PyTypeError::new_err(why)),
        }
    }
}

/// gleaner's extension module; import ``gleaner``, which re-exports it.
#[pymodule]
fn _gleaner(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Extraction>()?;
    m.add_class::<PyExtractor>()?;
    m.add("GleanerError", py.get_type::<GleanerError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("TimeBudgetError", py.get_type::<TimeBudgetError>())?;
    m.add("PanicError", py.get_type::<PanicError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
