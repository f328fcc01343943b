// SPDX-License-Identifier: MIT
#include "catalogmodel.h"

#include "mailboxmodel.h"
#include "script/catalog.h"

namespace mailroom {

CatalogModel::CatalogModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int CatalogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(catalog().size());
}

QHash<int, QByteArray> CatalogModel::roleNames() const
{
    return { { ModuleRole, "module" }, { SummaryRole, "summary" }, { DefaultNameRole, "defaultName" },
        { MessagesRole, "messages" }, { StartCodeRole, "startCode" } };
}

QVariant CatalogModel::data(const QModelIndex &index, int role) const
{
    Q_ASSERT(checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid));
    const CatalogEntry &entry = catalog()[size_t(index.row())];
    const QString module = QString::fromStdString(entry.module);
    switch (role) {
    case ModuleRole:
        return module;
    case SummaryRole:
        return QString::fromStdString(entry.summary);
    case DefaultNameRole:
        return entry.defaultName ? QString::fromStdString(*entry.defaultName) : QString();
    case MessagesRole:
        return messagesFor(module);
    case StartCodeRole:
        return startCode(module);
    default:
        return {};
    }
}

QVariantList CatalogModel::messagesFor(const QString &module) const
{
    const CatalogEntry *entry = findCatalogEntry(module.toStdString());
    return entry != nullptr ? messagesOf(*entry) : QVariantList();
}

QVariantList CatalogModel::messagesOf(const CatalogEntry &entry)
{
    QVariantList out;
    for (const MessageSpec &m : entry.messages) {
        QStringList fields;
        for (const std::string &f : m.fields)
            fields.append(QString::fromStdString(f));
        out.append(QVariantMap{ { QStringLiteral("kind"), kindName(m.kind) },
            { QStringLiteral("label"), QString::fromStdString(m.label) },
            { QStringLiteral("code"), QString::fromStdString(m.code) }, { QStringLiteral("fields"), fields } });
    }
    return out;
}

QString CatalogModel::startCode(const QString &module) const
{
    const CatalogEntry *entry = findCatalogEntry(module.toStdString());
    if (entry == nullptr)
        return {};
    if (entry->hasStart)
        return module + QStringLiteral(".start()");
    // Registered as its own start functions do, or (without them) under its module's name,
    // as the window starts the servers it shows on launch: code that names it finds it.
    QString name = module;
    if (entry->defaultName) {
        const QString registered = QString::fromStdString(*entry->defaultName);
        name = registered.startsWith(QStringLiteral("Elixir.")) ? registered.mid(7) : QLatin1Char(':') + registered;
    }
    return QStringLiteral("GenServer.start(%1, %2, name: %3)")
        .arg(module, QString::fromStdString(entry->defaultArg.inspect()), name);
}

} // namespace mailroom
