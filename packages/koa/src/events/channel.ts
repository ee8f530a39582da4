/** The channel that carries order status changes to every instance (LISTEN/NOTIFY). */
export const ORDER_CHANNEL = 'akit_orders'
