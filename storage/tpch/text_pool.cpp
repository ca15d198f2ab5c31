#include "storage/tpch/text_pool.hpp"

#include <span>
#include <vector>

#include "storage/tpch/distributions.hpp"

namespace grizzly::storage::tpch {

namespace {

/// Weighted choice in O(1): one slot per unit of weight. The largest list
/// weighs a few hundred, so the table stays tiny.
class WordPicker {
public:
    explicit WordPicker(std::span<const WeightedWord> words) : words_(words) {
        for (size_t word_idx = 0; word_idx < words.size(); ++word_idx)
            slots_.insert(slots_.end(), words[word_idx].weight, static_cast<uint8_t>(word_idx));
    }
    std::string_view Pick(Rng& rng) const {
        return words_[slots_[static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(slots_.size()) - 1))]].word;
    }

private:
    std::span<const WeightedWord> words_;
    std::vector<uint8_t> slots_;
};

/// Writes sentences into a string following dbgen's text.c: every word is
/// followed by a space, punctuation written after a grammar symbol ("J,")
/// abuts its word, and a terminator replaces the space before it.
class SentenceWriter {
public:
    explicit SentenceWriter(std::string& out) : out_(out) {}

    void Sentence(Rng& rng) {
        for (char symbol : grammar_.Pick(rng)) {
            switch (symbol) {
            case 'N': Phrase(noun_phrases_.Pick(rng), rng); break;
            case 'V': Phrase(verb_phrases_.Pick(rng), rng); break;
            case 'P':
                Word(prepositions_.Pick(rng));
                Word("the");
                Phrase(noun_phrases_.Pick(rng), rng);
                break;
            case 'T':
                out_.pop_back();
                out_.append(terminators_.Pick(rng));
                out_.push_back(' ');
                break;
            default: break;  // the spaces between symbols
            }
        }
    }

private:
    void Phrase(std::string_view form, Rng& rng) {
        for (char symbol : form) {
            switch (symbol) {
            case 'N': Word(nouns_.Pick(rng)); break;
            case 'V': Word(verbs_.Pick(rng)); break;
            case 'J': Word(adjectives_.Pick(rng)); break;
            case 'D': Word(adverbs_.Pick(rng)); break;
            case 'X': Word(auxiliaries_.Pick(rng)); break;
            case ',': out_.insert(out_.size() - 1, 1, ','); break;
            default: break;
            }
        }
    }
    void Word(std::string_view word) {
        out_.append(word);
        out_.push_back(' ');
    }

    std::string& out_;
    WordPicker grammar_{kGrammar};
    WordPicker noun_phrases_{kNounPhrases};
    WordPicker verb_phrases_{kVerbPhrases};
    WordPicker nouns_{kNouns};
    WordPicker verbs_{kVerbs};
    WordPicker adjectives_{kAdjectives};
    WordPicker adverbs_{kAdverbs};
    WordPicker auxiliaries_{kAuxiliaries};
    WordPicker prepositions_{kPrepositions};
    WordPicker terminators_{kTerminators};
};

}  // namespace

TextPool::TextPool(size_t size) {
    text_.reserve(size + 1024);
    SentenceWriter writer(text_);
    Rng rng(Stream::TextPool, 0);
    while (text_.size() < size) writer.Sentence(rng);
    text_.resize(size);
}

const TextPool& TextPool::Shared() {
    static const TextPool pool(kDefaultSize);
    return pool;
}

}  // namespace grizzly::storage::tpch
