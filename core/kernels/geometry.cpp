#include "kernels/geometry.h"

#include <cctype>
#include <fmt/format.h>
#include <set>

namespace ptxwb::kernels {

struct GeometryExpr::Node {
    enum class Kind {
        Constant,
        Name,
        Add,
        Sub,
        Mul,
        Div,
        Mod,
        Neg,
        CeilDiv,
        Min,
        Max,
        RoundUp
    } kind;
    std::int64_t value = 0;
    std::string name;
    std::vector<std::shared_ptr<const Node>> args;
};

namespace {

using NodePtr = std::shared_ptr<const GeometryExpr::Node>;
using Kind = GeometryExpr::Node::Kind;

class ExprParser {
public:
    explicit ExprParser(const std::string& text) : text_(text) {}

    Expected<NodePtr> parseAll() {
        PTXWB_TRY(NodePtr n, parseSum());
        skipSpace();
        if (pos_ != text_.size()) return fail(fmt::format("unexpected '{}'", text_[pos_]));
        return n;
    }

private:
    Unexpected fail(const std::string& message) const {
        return makeError(ErrorKind::BadInput, message,
                         ErrorLocation::text("", 1, static_cast<std::uint32_t>(pos_ + 1)));
    }
    void skipSpace() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])))
            ++pos_;
    }
    bool accept(char c) {
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    static NodePtr binary(Kind k, NodePtr a, NodePtr b) {
        auto n = std::make_shared<GeometryExpr::Node>();
        n->kind = k;
        n->args = {std::move(a), std::move(b)};
        return n;
    }

    Expected<NodePtr> parseSum() {
        PTXWB_TRY(NodePtr left, parseProduct());
        while (true) {
            if (accept('+')) {
                PTXWB_TRY(NodePtr right, parseProduct());
                left = binary(Kind::Add, left, right);
            } else if (accept('-')) {
                PTXWB_TRY(NodePtr right, parseProduct());
                left = binary(Kind::Sub, left, right);
            } else {
                return left;
            }
        }
    }

    Expected<NodePtr> parseProduct() {
        PTXWB_TRY(NodePtr left, parseFactor());
        while (true) {
            Kind k;
            if (accept('*'))
                k = Kind::Mul;
            else if (accept('/'))
                k = Kind::Div;
            else if (accept('%'))
                k = Kind::Mod;
            else
                return left;
            PTXWB_TRY(NodePtr right, parseFactor());
            left = binary(k, left, right);
        }
    }

    Expected<NodePtr> parseFactor() {
        skipSpace();
        if (pos_ >= text_.size()) return fail("expected a number, a dim name or '('");
        char c = text_[pos_];
        if (accept('(')) {
            PTXWB_TRY(NodePtr inner, parseSum());
            if (!accept(')')) return fail("expected ')'");
            return inner;
        }
        if (accept('-')) {
            PTXWB_TRY(NodePtr inner, parseFactor());
            auto n = std::make_shared<GeometryExpr::Node>();
            n->kind = Kind::Neg;
            n->args = {inner};
            return NodePtr(n);
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            std::int64_t v = 0;
            while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
                v = v * 10 + (text_[pos_++] - '0');
                if (v > (std::int64_t(1) << 40)) return fail("number too large");
            }
            auto n = std::make_shared<GeometryExpr::Node>();
            n->kind = Kind::Constant;
            n->value = v;
            return NodePtr(n);
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t start = pos_;
            while (pos_ < text_.size() &&
                   (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
                ++pos_;
            std::string name = text_.substr(start, pos_ - start);
            skipSpace();
            if (pos_ < text_.size() && text_[pos_] == '(') return parseCall(name, start);
            auto n = std::make_shared<GeometryExpr::Node>();
            n->kind = Kind::Name;
            n->name = name;
            return NodePtr(n);
        }
        return fail(fmt::format("unexpected '{}'", c));
    }

    Expected<NodePtr> parseCall(const std::string& name, std::size_t nameStart) {
        static const std::map<std::string, Kind> functions = {{"ceil_div", Kind::CeilDiv},
                                                              {"min", Kind::Min},
                                                              {"max", Kind::Max},
                                                              {"round_up", Kind::RoundUp}};
        auto it = functions.find(name);
        if (it == functions.end()) {
            pos_ = nameStart;
            return fail(
                fmt::format("unknown function '{}' (known: ceil_div, min, max, round_up)", name));
        }
        accept('(');
        auto n = std::make_shared<GeometryExpr::Node>();
        n->kind = it->second;
        do {
            PTXWB_TRY(NodePtr arg, parseSum());
            n->args.push_back(arg);
        } while (accept(','));
        if (!accept(')')) return fail("expected ',' or ')'");
        if (n->args.size() != 2) {
            pos_ = nameStart;
            return fail(fmt::format("{} takes 2 arguments, {} given", name, n->args.size()));
        }
        return NodePtr(n);
    }

    const std::string& text_;
    std::size_t pos_ = 0;
};

Expected<std::int64_t> eval(const GeometryExpr::Node& n, const DimValues& dims) {
    switch (n.kind) {
    case Kind::Constant:
        return n.value;
    case Kind::Name: {
        auto it = dims.find(n.name);
        if (it == dims.end())
            return makeError(ErrorKind::BadInput, fmt::format("unknown dim '{}'", n.name));
        return it->second;
    }
    case Kind::Neg: {
        PTXWB_TRY(std::int64_t a, eval(*n.args[0], dims));
        return -a;
    }
    default:
        break;
    }
    PTXWB_TRY(std::int64_t a, eval(*n.args[0], dims));
    PTXWB_TRY(std::int64_t b, eval(*n.args[1], dims));
    switch (n.kind) {
    case Kind::Add:
        return a + b;
    case Kind::Sub:
        return a - b;
    case Kind::Mul:
        return a * b;
    case Kind::Min:
        return std::min(a, b);
    case Kind::Max:
        return std::max(a, b);
    default:
        break;
    }
    if (b == 0) return makeError(ErrorKind::BadInput, "division by zero");
    switch (n.kind) {
    case Kind::Div:
        return a / b;
    case Kind::Mod:
        return a % b;
    case Kind::CeilDiv:
        return (a + b - 1) / b;
    case Kind::RoundUp:
        return (a + b - 1) / b * b;
    default:
        return makeError(ErrorKind::Internal, "bad geometry node");
    }
}

void collectNames(const GeometryExpr::Node& n, std::set<std::string>& out) {
    if (n.kind == Kind::Name) out.insert(n.name);
    for (const auto& a : n.args)
        collectNames(*a, out);
}

} // namespace

GeometryExpr::GeometryExpr() : text_(1, '1') {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Constant;
    n->value = 1;
    root_ = n;
}

GeometryExpr GeometryExpr::constant(std::int64_t value) {
    GeometryExpr e;
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::Constant;
    n->value = value;
    e.root_ = n;
    e.text_ = std::to_string(value);
    return e;
}

Expected<GeometryExpr> GeometryExpr::parse(const std::string& text) {
    ExprParser parser(text);
    PTXWB_TRY(NodePtr root, parser.parseAll());
    GeometryExpr e = constant(0);
    e.root_ = root;
    e.text_ = text;
    return e;
}

Expected<std::int64_t> GeometryExpr::evaluate(const DimValues& dims) const {
    auto v = eval(*root_, dims);
    if (!v) return std::move(v).error().withContext(fmt::format("evaluating '{}'", text_));
    return v;
}

std::vector<std::string> GeometryExpr::names() const {
    std::set<std::string> out;
    collectNames(*root_, out);
    return {out.begin(), out.end()};
}

} // namespace ptxwb::kernels
