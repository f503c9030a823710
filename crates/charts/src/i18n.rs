//! The crate's own texts in English, Russian and Kazakh.

use crate::options::Lang;

/// Keys of translated texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    UptakeAxis,
    DsiAxis,
    RegionEffectAxis,
    CoefficientAxis,
    NationalAverage,
    City,
    Region,
    Reference,
    NoRespondents,
    NoData,
    CiNote,
    Density,
    Theta,
    ProbabilityYes,
    Information,
    Difficulty,
    Discrimination,
    KdeNote,
    BoxNote,
    TitleUptakeByRegion,
    TitleDsiByRegion,
    TitleRegionEffects,
    TitleGrouped,
    TitleCoefficients,
    TitleDsiDistribution,
    TitleItemCurves,
    TitleInformation,
    TitleItemMap,
    TitleTileMap,
    DsiShare,
    ItemMapNote,
    ItemCurvesNote,
    DifficultyNote,
}

pub(crate) fn tr(lang: Lang, key: Key) -> &'static str {
    use Key::*;
    use Lang::*;
    match (key, lang) {
        (UptakeAxis, En) => "Share using e-government, %",
        (UptakeAxis, Ru) => "Доля пользующихся электронным правительством, %",
        (UptakeAxis, Kk) => "Электрондық үкіметті пайдаланатындар үлесі, %",
        (DsiAxis, En) => "Digital Skills Index (DSI), mean",
        (DsiAxis, Ru) => "Индекс цифровых навыков (ИЦН), среднее",
        (DsiAxis, Kk) => "Цифрлық дағдылар индексі (ЦДИ), орташа",
        (RegionEffectAxis, En) => "Difference from the reference region, percentage points",
        (RegionEffectAxis, Ru) => "Разница с базовым регионом, процентных пунктов",
        (RegionEffectAxis, Kk) => "Базалық өңірден айырма, пайыздық тармақ",
        (CoefficientAxis, En) => {
            "Effect on the probability of using e-government, percentage points"
        }
        (CoefficientAxis, Ru) => {
            "Влияние на вероятность использования электронного правительства, п. п."
        }
        (CoefficientAxis, Kk) => {
            "Электрондық үкіметті пайдалану ықтималдығына әсері, пайыздық тармақ"
        }
        (NationalAverage, En) => "National average",
        (NationalAverage, Ru) => "В среднем по стране",
        (NationalAverage, Kk) => "Республика бойынша орташа",
        (City, En) => "City of republican significance",
        (City, Ru) => "Город республиканского значения",
        (City, Kk) => "Республикалық маңызы бар қала",
        (Region, En) => "Region",
        (Region, Ru) => "Область",
        (Region, Kk) => "Облыс",
        (Reference, En) => "Reference",
        (Reference, Ru) => "База сравнения",
        (Reference, Kk) => "Салыстыру базасы",
        (NoRespondents, En) => "no respondents",
        (NoRespondents, Ru) => "нет респондентов",
        (NoRespondents, Kk) => "респонденттер жоқ",
        (NoData, En) => "no data",
        (NoData, Ru) => "нет данных",
        (NoData, Kk) => "деректер жоқ",
        (CiNote, En) => "Lines show 95% confidence intervals.",
        (CiNote, Ru) => "Линии показывают 95% доверительные интервалы.",
        (CiNote, Kk) => "Сызықтар 95% сенімділік аралықтарын көрсетеді.",
        (Density, En) => "Density",
        (Density, Ru) => "Плотность",
        (Density, Kk) => "Тығыздық",
        (Theta, En) => "Digital skills (θ, standard deviations)",
        (Theta, Ru) => "Цифровые навыки (θ, стандартные отклонения)",
        (Theta, Kk) => "Цифрлық дағдылар (θ, стандартты ауытқу)",
        (ProbabilityYes, En) => "Probability of a “yes” answer",
        (ProbabilityYes, Ru) => "Вероятность ответа «да»",
        (ProbabilityYes, Kk) => "«Иә» жауабының ықтималдығы",
        (Information, En) => "Test information",
        (Information, Ru) => "Информация теста",
        (Information, Kk) => "Тест ақпараты",
        (Difficulty, En) => "Difficulty (b)",
        (Difficulty, Ru) => "Трудность (b)",
        (Difficulty, Kk) => "Қиындық (b)",
        (Discrimination, En) => "Discrimination (a)",
        (Discrimination, Ru) => "Дискриминация (a)",
        (Discrimination, Kk) => "Ажырату қабілеті (a)",
        (KdeNote, En) => "Weighted Gaussian kernel density, Silverman bandwidth.",
        (KdeNote, Ru) => {
            "Взвешенная гауссова ядерная оценка плотности, ширина окна по Сильвермену."
        }
        (KdeNote, Kk) => "Салмақталған гаусс ядролық тығыздығы, терезе ені Сильверман бойынша.",
        (BoxNote, En) => {
            "Boxes: weighted quartiles and median; whiskers: 5th and 95th weighted percentiles."
        }
        (BoxNote, Ru) => {
            "Прямоугольники: взвешенные квартили и медиана; усы: 5-й и 95-й взвешенные процентили."
        }
        (BoxNote, Kk) => {
            "Тіктөртбұрыштар: салмақталған квартильдер мен медиана; мұрттар: 5 және 95 процентильдер."
        }
        (TitleUptakeByRegion, En) => "E-government uptake by region",
        (TitleUptakeByRegion, Ru) => "Использование электронного правительства по регионам",
        (TitleUptakeByRegion, Kk) => "Өңірлер бойынша электрондық үкіметті пайдалану",
        (TitleDsiByRegion, En) => "Digital skills by region",
        (TitleDsiByRegion, Ru) => "Цифровые навыки по регионам",
        (TitleDsiByRegion, Kk) => "Өңірлер бойынша цифрлық дағдылар",
        (TitleRegionEffects, En) => {
            "Regional differences in e-government uptake, other factors held equal"
        }
        (TitleRegionEffects, Ru) => {
            "Региональные различия в использовании электронного правительства при прочих равных"
        }
        (TitleRegionEffects, Kk) => {
            "Басқа жағдайлар тең болғанда электрондық үкіметті пайдаланудағы өңірлік айырмалар"
        }
        (TitleGrouped, En) => "E-government uptake by group",
        (TitleGrouped, Ru) => "Использование электронного правительства по группам",
        (TitleGrouped, Kk) => "Топтар бойынша электрондық үкіметті пайдалану",
        (TitleCoefficients, En) => "What goes with using e-government",
        (TitleCoefficients, Ru) => "Факторы использования электронного правительства",
        (TitleCoefficients, Kk) => "Электрондық үкіметті пайдалану факторлары",
        (TitleDsiDistribution, En) => "Distribution of the Digital Skills Index",
        (TitleDsiDistribution, Ru) => "Распределение индекса цифровых навыков",
        (TitleDsiDistribution, Kk) => "Цифрлық дағдылар индексінің таралуы",
        (TitleItemCurves, En) => "Item characteristic curves of the skill items",
        (TitleItemCurves, Ru) => "Характеристические кривые заданий",
        (TitleItemCurves, Kk) => "Дағды сұрақтарының сипаттамалық қисықтары",
        (TitleInformation, En) => "Where the skill items measure precisely",
        (TitleInformation, Ru) => "Где задания измеряют навыки точнее всего",
        (TitleInformation, Kk) => "Сұрақтар дағдыны қай деңгейде дәл өлшейді",
        (TitleItemMap, En) => "Item map: difficulty and discrimination",
        (TitleItemMap, Ru) => "Карта заданий: трудность и дискриминация",
        (TitleItemMap, Kk) => "Сұрақтар картасы: қиындық пен ажырату қабілеті",
        (TitleTileMap, En) => "Regional overview",
        (TitleTileMap, Ru) => "Обзор по регионам",
        (TitleTileMap, Kk) => "Өңірлерге шолу",
        (DsiShare, En) => "Respondents (weighted density)",
        (DsiShare, Ru) => "Респонденты (взвешенная плотность)",
        (DsiShare, Kk) => "Респонденттер (салмақталған тығыздық)",
        (ItemMapNote, En) => {
            "Items to the right are harder; items higher up separate skill levels more sharply."
        }
        (ItemMapNote, Ru) => {
            "Правее — более трудные задания; выше — лучше различающие уровни навыков."
        }
        (ItemMapNote, Kk) => {
            "Оңға қарай — қиынырақ сұрақтар; жоғары — дағды деңгейлерін жақсырақ ажырататындар."
        }
        (DifficultyNote, En) => {
            "Dotted line: difficulty b, the skill level at which half the respondents answer “yes”."
        }
        (DifficultyNote, Ru) => {
            "Пунктир — трудность b: уровень навыков, при котором половина респондентов отвечает «да»."
        }
        (DifficultyNote, Kk) => {
            "Пунктир — қиындық b: респонденттердің жартысы «иә» деп жауап беретін дағды деңгейі."
        }
        (ItemCurvesNote, En) => {
            "One item per panel in colour, the other items in grey; easiest item first."
        }
        (ItemCurvesNote, Ru) => {
            "В каждой панели одно задание выделено цветом, остальные — серым; задания идут от самого лёгкого к самому трудному."
        }
        (ItemCurvesNote, Kk) => {
            "Әр панельде бір сұрақ түспен, қалғандары сұр түспен берілген; сұрақтар ең жеңілінен ең қиынына қарай орналасқан."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_translated_and_distinct_from_english() {
        let keys = [
            Key::UptakeAxis,
            Key::NationalAverage,
            Key::NoRespondents,
            Key::TitleItemMap,
        ];
        for key in keys {
            assert_ne!(tr(Lang::En, key), tr(Lang::Ru, key));
            assert_ne!(tr(Lang::En, key), tr(Lang::Kk, key));
            assert_ne!(tr(Lang::Ru, key), tr(Lang::Kk, key));
        }
    }
}
