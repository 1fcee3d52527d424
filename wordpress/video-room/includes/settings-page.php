<?php
/**
 * Settings → Video rooms: the server URL and the token secret, for those who
 * can manage options. Saved through the Settings API (options.php), which
 * checks the capability and this form's nonce before anything is written.
 * The secret is never sent back into the page: its field is empty, and left
 * empty it keeps the secret there is.
 */

defined( 'ABSPATH' ) || exit;

add_action( 'admin_menu', 'video_room_settings_menu' );
add_action( 'admin_init', 'video_room_settings_register' );

function video_room_settings_menu() {
	add_options_page(
		__( 'Video rooms', 'video-room' ),
		__( 'Video rooms', 'video-room' ),
		'manage_options',
		'video-room',
		'video_room_settings_page'
	);
}

function video_room_settings_register() {
	register_setting(
		'video_room',
		'video_room_server',
		array(
			'type'              => 'string',
			'default'           => '',
			'sanitize_callback' => 'video_room_sanitize_server',
		)
	);
	register_setting(
		'video_room',
		'video_room_token_secret',
		array(
			'type'              => 'string',
			'default'           => '',
			'sanitize_callback' => 'video_room_sanitize_secret',
		)
	);
}

function video_room_sanitize_server( $value ) {
	$value = is_string( $value ) ? trim( $value ) : '';
	$clean = video_room_clean_server_url( $value );
	if ( '' !== $value && '' === $clean ) {
		add_settings_error(
			'video_room_server',
			'video_room_bad_server',
			__( 'Cannot save the server URL: it must start with wss:// (or ws:// for a test on this computer).', 'video-room' )
		);
		return (string) get_option( 'video_room_server', '' );
	}
	return $clean;
}

function video_room_sanitize_secret( $value ) {
	$old = (string) get_option( 'video_room_token_secret', '' );
	if ( ! empty( $_POST['video_room_token_secret_remove'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification -- options.php checked it.
		return '';
	}
	$value = is_string( $value ) ? trim( $value ) : '';
	if ( '' === $value ) {
		return $old; // an empty field keeps the secret (it is never shown to be re-entered)
	}
	if ( strlen( $value ) < VIDEO_ROOM_SECRET_MIN ) {
		add_settings_error(
			'video_room_token_secret',
			'video_room_short_secret',
			sprintf(
				/* translators: %d: minimum length */
				__( 'Cannot save the token secret: it must be at least %d characters. The old one is kept.', 'video-room' ),
				VIDEO_ROOM_SECRET_MIN
			)
		);
		return $old;
	}
	return $value;
}

function video_room_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		wp_die( esc_html__( 'Sorry, you are not allowed to manage video rooms.', 'video-room' ), 403 );
	}
	$server_fixed = defined( 'VIDEO_ROOM_SERVER' );
	$secret_fixed = defined( 'VIDEO_ROOM_TOKEN_SECRET' );
	$has_secret   = '' !== video_room_token_secret();
	?>
	<div class="wrap">
		<h1><?php esc_html_e( 'Video rooms', 'video-room' ); ?></h1>
		<?php if ( ! is_ssl() && ! in_array( wp_parse_url( home_url(), PHP_URL_HOST ), array( 'localhost', '127.0.0.1', '::1' ), true ) ) : ?>
			<div class="notice notice-warning"><p>
				<?php esc_html_e( 'This site is not served over HTTPS: browsers refuse the camera and microphone to such pages, so visitors could not take part. Serve the site over HTTPS.', 'video-room' ); ?>
			</p></div>
		<?php endif; ?>
		<form method="post" action="options.php">
			<?php settings_fields( 'video_room' ); ?>
			<table class="form-table" role="presentation">
				<tr>
					<th scope="row"><label for="video_room_server"><?php esc_html_e( 'Signaling server', 'video-room' ); ?></label></th>
					<td>
						<input type="url" class="regular-text code" id="video_room_server" name="video_room_server"
							placeholder="wss://signal.example.com/ws"
							value="<?php echo esc_attr( video_room_server_url() ); ?>"
							<?php disabled( $server_fixed ); ?>>
						<p class="description">
							<?php
							echo $server_fixed
								? esc_html__( 'Set by VIDEO_ROOM_SERVER in wp-config.php.', 'video-room' )
								: esc_html__( 'The WebSocket URL of your video-room server (npx video-room-server).', 'video-room' );
							?>
						</p>
					</td>
				</tr>
				<tr>
					<th scope="row"><label for="video_room_token_secret"><?php esc_html_e( 'Room-token secret', 'video-room' ); ?></label></th>
					<td>
						<input type="password" class="regular-text code" id="video_room_token_secret" name="video_room_token_secret"
							value="" autocomplete="new-password"
							placeholder="<?php echo $has_secret ? esc_attr__( 'A secret is set (hidden); type to replace it', 'video-room' ) : ''; ?>"
							<?php disabled( $secret_fixed ); ?>>
						<?php if ( $has_secret && ! $secret_fixed ) : ?>
							<label><input type="checkbox" name="video_room_token_secret_remove" value="1"> <?php esc_html_e( 'Remove the secret', 'video-room' ); ?></label>
						<?php endif; ?>
						<p class="description">
							<?php
							if ( $secret_fixed ) {
								esc_html_e( 'Set by VIDEO_ROOM_TOKEN_SECRET in wp-config.php.', 'video-room' );
							} else {
								printf(
									/* translators: %d: minimum length */
									esc_html__( 'The same secret as the server\'s ROOM_TOKEN_SECRET, at least %d characters (e.g. from openssl rand -base64 32). With it, editors and administrators host the rooms and everyone else joins as a guest. Better kept in wp-config.php as VIDEO_ROOM_TOKEN_SECRET: in the database, a backup or a database leak would give it away.', 'video-room' ),
									(int) VIDEO_ROOM_SECRET_MIN
								);
							}
							?>
						</p>
					</td>
				</tr>
			</table>
			<?php submit_button(); ?>
		</form>
	</div>
	<?php
}
