/** The channel that carries order status changes to every instance (LISTEN/NOTIFY). */
export const ORDER_CHANNEL = 'akit_orders'

/**
 * A NOTIFY on ORDER_CHANNEL names one order or several, separated by this (a batch of status
 * changes sends one message). Order ids never hold it: the kit makes them of letters and digits,
 * and Alipay's out_trade_no allows letters, digits and underscores.
 */
export const ORDER_ID_SEPARATOR = ' '
