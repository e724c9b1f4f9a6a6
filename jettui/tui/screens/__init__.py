"""One screen per panel; SCREENS_BY_PANEL maps panel id → screen class (the App's modes)."""

from __future__ import annotations

from textual.screen import Screen

from jettui.tui.screens.activation import ActivationScreen
from jettui.tui.screens.categories import CategoriesScreen
from jettui.tui.screens.configuration import ConfigurationScreen
from jettui.tui.screens.cron import CronScreen
from jettui.tui.screens.logs import LogsScreen
from jettui.tui.screens.orders import OrdersScreen
from jettui.tui.screens.products import ProductsScreen
from jettui.tui.screens.refunds import RefundsScreen
from jettui.tui.screens.rejected_files import RejectedFilesScreen
from jettui.tui.screens.rejected_orders import RejectedOrdersScreen
from jettui.tui.screens.returns import ReturnsScreen

SCREENS_BY_PANEL: dict[str, type[Screen]] = {
    screen.PANEL_ID: screen
    for screen in (
        ProductsScreen,
        CategoriesScreen,
        OrdersScreen,
        RejectedOrdersScreen,
        ReturnsScreen,
        RefundsScreen,
        RejectedFilesScreen,
        CronScreen,
        LogsScreen,
        ConfigurationScreen,
        ActivationScreen,
    )
}
