<?php
/**
 * The block's front end: the same tag as the shortcode.
 *
 * @var array $attributes The block's attributes.
 */

defined( 'ABSPATH' ) || exit;

echo video_room_tag( $attributes ); // phpcs:ignore WordPress.Security.EscapeOutput -- video_room_tag escapes every value.
