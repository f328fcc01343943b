// SPDX-License-Identifier: MIT
#include "bridgedmodel.h"

namespace mailroom {

BridgedModel::BridgedModel(QObject *parent)
    : QAbstractListModel(parent)
{
    connect(this, &QAbstractItemModel::rowsInserted, this, &BridgedModel::countChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &BridgedModel::countChanged);
    connect(this, &QAbstractItemModel::modelReset, this, &BridgedModel::countChanged);
}

void BridgedModel::setBridge(EventBridge *bridge)
{
    if (m_bridge == bridge)
        return;
    disconnect(m_connection);
    m_bridge = bridge;
    clear();
    if (bridge != nullptr) {
        m_connection = connect(bridge, &EventBridge::updated, this, [this] { sync(); });
        sync();
    }
    emit bridgeChanged();
}

void BridgedModel::resync()
{
    if (m_bridge != nullptr)
        sync();
}

void BridgedModel::emitChanged(const std::vector<int> &changed, const QList<int> &roles)
{
    for (size_t i = 0; i < changed.size();) {
        size_t j = i;
        while (j + 1 < changed.size() && changed[j + 1] == changed[j] + 1)
            ++j;
        emit dataChanged(index(changed[i]), index(changed[j]), roles);
        i = j + 1;
    }
}

} // namespace mailroom
