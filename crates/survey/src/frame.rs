//! The analysis frame: the hand-off from this crate to everything downstream.
//! Plain vectors only, no data-frame types.

use serde::Serialize;
use std::path::PathBuf;

/// Missing item response code, compatible with `egov_irt`.
pub const MISSING: u8 = 255;

/// The 11 canonical skill items, in the order of the brief's Table 3.
pub const ITEM_NAMES: [&str; 11] = [
    "email",
    "install_software",
    "configure_software",
    "spreadsheet",
    "word",
    "graphics",
    "connect_devices",
    "programming",
    "copy_move",
    "copy_paste",
    "transfer_files",
];

/// Short English, Russian and Kazakh labels of the 11 items (same order as [`ITEM_NAMES`]).
pub const ITEM_LABELS: [(&str, &str, &str); 11] = [
    (
        "E-mail with attachments",
        "Отправка электронной почты с вложенными файлами",
        "Тіркелген файлдары бар электрондық хат жіберу",
    ),
    (
        "Find, download, install software",
        "Поиск, загрузка и установка программ",
        "Бағдарламаларды іздеу, жүктеу және орнату",
    ),
    (
        "Configure software incl. OS or security",
        "Настройка программ, включая ОС и защиту",
        "Бағдарламаларды баптау, оның ішінде ОЖ мен қорғаныс",
    ),
    (
        "Spreadsheet with formulas",
        "Работа в Excel с формулами",
        "Excel-де формулалармен жұмыс",
    ),
    (
        "Word text editor",
        "Работа в текстовом редакторе Word",
        "Word мәтіндік редакторында жұмыс",
    ),
    (
        "Graphics or presentation editor",
        "Работа в графическом редакторе или презентациях",
        "Графикалық редакторда немесе презентацияларда жұмыс",
    ),
    (
        "Connect and install devices",
        "Подключение и установка устройств",
        "Құрылғыларды қосу және орнату",
    ),
    (
        "Write computer programs",
        "Написание программ на языке программирования",
        "Бағдарламалау тілінде бағдарлама жазу",
    ),
    (
        "Copy or move files or folders",
        "Копирование или перемещение файлов и папок",
        "Файлдар мен қалталарды көшіру немесе жылжыту",
    ),
    (
        "Copy and paste within a document",
        "Копирование и вставка в документе",
        "Құжатта көшіру және қою",
    ),
    (
        "Transfer files between devices",
        "Передача файлов между устройствами",
        "Құрылғылар арасында файл тасымалдау",
    ),
];

/// Display language for labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (always available).
    #[default]
    En,
    /// Russian.
    Ru,
    /// Kazakh.
    Kk,
}

impl std::str::FromStr for Lang {
    type Err = String;
    /// Parses `en`, `ru` or `kk` (also `kz`).
    ///
    /// ```
    /// assert_eq!("ru".parse::<egov_survey::Lang>(), Ok(egov_survey::Lang::Ru));
    /// ```
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "ru" => Ok(Lang::Ru),
            "kk" | "kz" => Ok(Lang::Kk),
            other => Err(format!("unknown language `{other}`; use en, ru or kk")),
        }
    }
}

/// Where the data came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceInfo {
    /// Path of the data file as given.
    pub path: PathBuf,
    /// Detected format (`csv`, `parquet`, `dta`, `sav`, `xlsx`).
    pub format: String,
    /// SHA-256 of the file bytes, lower-case hex.
    pub sha256: String,
    /// True when the codebook declares the data synthetic.
    pub synthetic: bool,
    /// Path of the codebook, when it was read from a file.
    pub codebook: Option<PathBuf>,
}

/// One level of a categorical variable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Level {
    /// Slug used in model term names, e.g. `student`.
    pub name: String,
    /// The raw code in the data file, as text (`"3"`).
    pub raw_code: String,
    /// English label.
    pub label_en: String,
    /// Russian label.
    pub label_ru: Option<String>,
    /// Kazakh label.
    pub label_kk: Option<String>,
}

impl Level {
    /// The label in `lang`, falling back to English.
    ///
    /// ```
    /// use egov_survey::{Lang, Level};
    /// let l = Level { name: "male".into(), raw_code: "1".into(), label_en: "Male".into(),
    ///                 label_ru: Some("Мужчина".into()), label_kk: None };
    /// assert_eq!(l.label(Lang::Ru), "Мужчина");
    /// assert_eq!(l.label(Lang::Kk), "Male");
    /// ```
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.label_en,
            Lang::Ru => self.label_ru.as_deref().unwrap_or(&self.label_en),
            Lang::Kk => self.label_kk.as_deref().unwrap_or(&self.label_en),
        }
    }
}

/// A categorical variable: per-row index into `levels` (None = missing).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoricalVar {
    /// Canonical analysis name (`labour`).
    pub name: String,
    /// Per-row level index; `None` is a missing value.
    pub codes: Vec<Option<u32>>,
    /// The levels, in codebook order.
    pub levels: Vec<Level>,
    /// Index of the reference (omitted) level.
    pub reference: usize,
}

impl CategoricalVar {
    /// Number of missing rows.
    pub fn missing(&self) -> usize {
        self.codes.iter().filter(|c| c.is_none()).count()
    }

    /// Index of the level with slug `name`.
    pub fn level_index(&self, name: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.name == name)
    }
}

/// Values of an extra covariate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExtraValues {
    /// A numeric variable.
    Numeric(Vec<Option<f64>>),
    /// A categorical variable.
    Categorical(CategoricalVar),
}

/// An extra covariate declared in the codebook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtraVar {
    /// Analysis name.
    pub name: String,
    /// Values.
    pub values: ExtraValues,
}

/// The analysis frame: every mapped variable as plain vectors of length `n_rows()`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalysisFrame {
    /// Where the data came from.
    pub source: SourceInfo,
    /// Respondent identifiers (unique).
    pub respondent_id: Vec<String>,
    /// Household identifiers as in the file.
    pub household_id: Vec<String>,
    /// Sampling weights (finite, non-negative).
    pub weight: Vec<f64>,
    /// Dense primary sampling unit ids (0-based), when mapped.
    pub psu: Option<Vec<u32>>,
    /// Dense stratum ids (0-based), when mapped.
    pub stratum: Option<Vec<u32>>,
    /// Dense household ids (0-based, in order of first appearance), for clustering.
    pub household: Vec<u32>,
    /// The 11 canonical item names.
    pub item_names: Vec<String>,
    /// Row-major `n × item_names.len()` responses: 0, 1 or [`MISSING`].
    pub items: Vec<u8>,
    /// E-government use via the Internet (0/1), `None` when missing.
    pub outcome: Vec<Option<u8>>,
    /// Age in years.
    pub age: Vec<Option<f64>>,
    /// Sex.
    pub sex: CategoricalVar,
    /// Education.
    pub education: CategoricalVar,
    /// Labour status.
    pub labour: CategoricalVar,
    /// Urban / rural.
    pub urban: CategoricalVar,
    /// Region.
    pub region: CategoricalVar,
    /// Extra covariates.
    pub extras: Vec<ExtraVar>,
}

impl AnalysisFrame {
    /// Number of respondents.
    pub fn n_rows(&self) -> usize {
        self.weight.len()
    }

    /// Number of skill items.
    pub fn n_items(&self) -> usize {
        self.item_names.len()
    }

    /// The item responses of row `i`.
    pub fn item_row(&self, i: usize) -> &[u8] {
        let k = self.n_items();
        &self.items[i * k..(i + 1) * k]
    }

    /// The five core categorical variables, in canonical order.
    pub fn categoricals(&self) -> [&CategoricalVar; 5] {
        [
            &self.sex,
            &self.education,
            &self.labour,
            &self.urban,
            &self.region,
        ]
    }
}
