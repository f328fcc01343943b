// SPDX-License-Identifier: MIT
#include "nodeprocessmodel.h"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace mailroom {

namespace {

/// A module or registered name as Elixir code writes it: Elixir.Shop.Sup is Shop.Sup.
QString elixirName(const std::string &name)
{
    const QString text = QString::fromStdString(name);
    return text.startsWith(QLatin1String("Elixir.")) ? text.mid(7) : text;
}

/// The number N of <0.N.S>, to keep unnamed processes in the order they were started.
int pidNumber(const std::string &pid)
{
    const size_t dot = pid.find('.');
    return dot == std::string::npos ? 0 : std::atoi(pid.c_str() + dot + 1);
}

} // namespace

NodeProcessModel::NodeProcessModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void NodeProcessModel::setListing(const std::vector<beam::NodeProcess> &processes)
{
    // Applications in name order, the processes of none last; in each, registered names first.
    std::map<std::string, std::vector<const beam::NodeProcess *>> byApplication;
    for (const beam::NodeProcess &p : processes)
        byApplication[p.application].push_back(&p);
    std::vector<Row> rows;
    const auto addGroup = [&rows](const std::string &application, std::vector<const beam::NodeProcess *> group) {
        std::stable_sort(group.begin(), group.end(), [](const beam::NodeProcess *a, const beam::NodeProcess *b) {
            if (a->name.empty() != b->name.empty())
                return !a->name.empty();
            return a->name.empty() ? pidNumber(a->pid) < pidNumber(b->pid) : a->name < b->name;
        });
        const bool grouped = !application.empty();
        if (grouped) {
            const QString app = QString::fromStdString(application);
            rows.push_back({ app, NodeProcessModel::tr("application: all %n of its processes", nullptr, int(group.size())),
                QStringLiteral("application"), QStringLiteral("app:") + app, false, false });
        }
        for (const beam::NodeProcess *p : group) {
            const QString id = p->name.empty() ? QString::fromStdString(p->pid) : elixirName(p->name);
            QString detail;
            if (p->kind == "server")
                detail = NodeProcessModel::tr("GenServer %1").arg(elixirName(p->module));
            else if (p->kind == "supervisor")
                detail = NodeProcessModel::tr("supervisor (%1): it and everything under it").arg(elixirName(p->module));
            else
                detail = NodeProcessModel::tr("process (%1)").arg(elixirName(p->module));
            if (!p->name.empty())
                detail += QStringLiteral(" · ") + QString::fromStdString(p->pid);
            if (!p->supervisor.empty())
                detail += NodeProcessModel::tr(" · under %1").arg(elixirName(p->supervisor));
            const QString kind = QString::fromStdString(p->kind);
            rows.push_back({ id, detail, kind, p->kind == "supervisor" ? QStringLiteral("sup:") + id : id, false, grouped });
        }
    };
    for (const auto &[application, group] : byApplication)
        if (!application.empty())
            addGroup(application, group);
    if (const auto none = byApplication.find(std::string()); none != byApplication.end())
        addGroup(std::string(), none->second);

    const QString before = spec();
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
    if (spec() != before)
        emit specChanged();
}

int NodeProcessModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant NodeProcessModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case LabelRole:
        return row.label;
    case DetailRole:
        return row.detail;
    case KindRole:
        return row.kind;
    case ChoiceRole:
        return row.choice;
    case CheckedRole:
        return row.checked;
    case IndentedRole:
        return row.indented;
    default:
        return {};
    }
}

bool NodeProcessModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != CheckedRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    Row &row = m_rows[size_t(index.row())];
    if (row.checked == value.toBool())
        return true;
    row.checked = value.toBool();
    emit dataChanged(index, index, { CheckedRole });
    emit specChanged();
    return true;
}

Qt::ItemFlags NodeProcessModel::flags(const QModelIndex &index) const
{
    return QAbstractListModel::flags(index) | (index.isValid() ? Qt::ItemIsUserCheckable : Qt::NoItemFlags);
}

QHash<int, QByteArray> NodeProcessModel::roleNames() const
{
    return {
        { LabelRole, "label" },
        { DetailRole, "detail" },
        { KindRole, "kind" },
        { ChoiceRole, "choice" },
        { CheckedRole, "picked" },
        { IndentedRole, "indented" },
    };
}

QString NodeProcessModel::spec() const
{
    QStringList choices;
    for (const Row &row : m_rows)
        if (row.checked)
            choices << row.choice;
    return choices.join(QLatin1Char(','));
}

void NodeProcessModel::setChecked(int row, bool checked)
{
    if (row >= 0 && row < rowCount())
        setData(index(row), checked, CheckedRole);
}

int NodeProcessModel::rowOf(const QString &label) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].label == label)
            return int(i);
    return -1;
}

} // namespace mailroom
